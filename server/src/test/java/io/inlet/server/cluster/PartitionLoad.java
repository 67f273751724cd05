package io.inlet.server.cluster;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.grpc.ManagedChannel;
import io.inlet.api.hstream.ServerNode;
import io.inlet.server.testing.clusterkill.RecordedAppend;
import io.inlet.server.testing.clusterkill.ShardOwners;
import io.inlet.testing.history.AppendAttempt;
import io.inlet.testing.history.OperationHistory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * gRPC Append clients on the test's host for a partition drill, every attempt recorded in an {@link
 * OperationHistory} and, with the node it went to and when, in {@link #answers}. Two kinds: clients
 * bound to one node (it forwards what another node leads), and one client that follows LookupShard
 * (asking the nodes in turn) and appends to the node it names.
 */
final class PartitionLoad {
  /**
   * One attempt: the node it was sent to, its shard, when it was sent and answered, its outcome.
   */
  record Answer(int node, long shard, long sentNanos, long answeredNanos, boolean acknowledged) {}

  static final String MQTT_STREAM = "mqtt";
  static final long MQTT_SHARD = AppendAttempt.SHARD_CHOSEN_BY_SERVER;
  private static final long MQTT_SECONDS = 10;

  private final OperationHistory history;
  private final String stream;
  private final List<Long> shards;
  private final Map<Integer, ManagedChannel> channels;
  private final List<Answer> answers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);

  /**
   * @param channels a channel to each node, by node id
   */
  PartitionLoad(
      OperationHistory history,
      String stream,
      List<Long> shards,
      Map<Integer, ManagedChannel> channels) {
    this.history = history;
    this.stream = stream;
    this.shards = List.copyOf(shards);
    this.channels = Map.copyOf(channels);
  }

  /** Starts {@code perNode} clients bound to each node and one that follows lookups. */
  void start(int perNode) {
    for (int node : channels.keySet()) {
      for (int c = 0; c < perNode; c++) {
        String client = "n" + node + "-c" + c;
        SplittableRandom random = new SplittableRandom(node * 100L + c);
        thread(client, () -> bound(client, node, random));
      }
    }
    thread("lookup-c0", () -> followingLookups("lookup-c0", new SplittableRandom(7)));
  }

  private void bound(String client, int node, SplittableRandom random) {
    for (long seq = 0; stop.getCount() > 0; ) {
      seq = append(client, seq, node, shards.get(random.nextInt(shards.size())), random);
    }
  }

  private void followingLookups(String client, SplittableRandom random) {
    List<Integer> nodes = List.copyOf(channels.keySet());
    int asked = 0;
    for (long seq = 0; stop.getCount() > 0; ) {
      long shard = shards.get(random.nextInt(shards.size()));
      ServerNode leader;
      try {
        leader = ShardOwners.owner(channels.get(nodes.get(asked++ % nodes.size())), shard);
      } catch (RuntimeException noAnswer) {
        pause(100);
        continue;
      }
      if (!channels.containsKey(leader.getId())) {
        pause(100);
        continue;
      }
      seq = append(client, seq, leader.getId(), shard, random);
    }
  }

  /** Starts one MQTT 5 QoS 1 publisher on each of {@code listeners} (by node id). */
  void startMqtt(Map<Integer, InetSocketAddress> listeners) {
    listeners.forEach(
        (node, listener) -> {
          String client = "mqtt-n" + node;
          thread(client, () -> publishing(client, node, listener));
        });
  }

  private void publishing(String client, int node, InetSocketAddress listener) {
    long seq = 0;
    while (stop.getCount() > 0) {
      Mqtt5AsyncClient mqtt =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(client)
              .serverHost(listener.getHostString())
              .serverPort(listener.getPort())
              .buildAsync();
      try {
        mqtt.connectWith().cleanStart(true).send().get(MQTT_SECONDS, TimeUnit.SECONDS);
        while (stop.getCount() > 0 && publish(mqtt, client, node, client + "-" + seq++)) {
          // the next message on the same connection
        }
      } catch (Exception notConnected) {
        if (notConnected instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
      } finally {
        mqtt.disconnect();
      }
      pause(200);
    }
  }

  /**
   * Publishes one message and records it: acknowledged only on a successful PUBACK; an error
   * PUBACK, a timeout or a broken connection leave it unknown. Returns false when the connection
   * should be replaced.
   */
  private boolean publish(Mqtt5AsyncClient mqtt, String client, int node, String payloadId) {
    OperationHistory.Pending attempt =
        history.begin(client, MQTT_STREAM, MQTT_SHARD, List.of(payloadId));
    long sent = System.nanoTime();
    boolean acknowledged = false;
    boolean connectionFine = false;
    try {
      Mqtt5PublishResult result =
          mqtt.publishWith()
              .topic("drill/" + client)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payloadId.getBytes(StandardCharsets.UTF_8))
              .send()
              .get(MQTT_SECONDS, TimeUnit.SECONDS);
      if (result.getError().isPresent()) {
        attempt.unknown(result.getError().get().toString());
      } else if (result instanceof Mqtt5Qos1Result one
          && one.getPubAck().getReasonCode().isError()) {
        attempt.unknown("PUBACK " + one.getPubAck().getReasonCode());
        connectionFine = true;
      } else {
        attempt.ok(List.of());
        acknowledged = true;
        connectionFine = true;
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      attempt.unknown(e.toString());
    }
    synchronized (answers) {
      answers.add(new Answer(node, MQTT_SHARD, sent, System.nanoTime(), acknowledged));
    }
    if (!acknowledged) {
      pause(100);
    }
    return connectionFine;
  }

  /** Sends one batch of 1 to 3 records; returns the client's next sequence number. */
  private long append(String client, long seq, int node, long shard, SplittableRandom random) {
    int count = 1 + random.nextInt(3);
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payloads.add(client + "-" + seq++);
    }
    ManagedChannel channel = channels.get(node);
    long sent = System.nanoTime();
    boolean acknowledged = RecordedAppend.send(history, channel, client, stream, shard, payloads);
    synchronized (answers) {
      answers.add(new Answer(node, shard, sent, System.nanoTime(), acknowledged));
    }
    if (!acknowledged) {
      pause(100);
      channel.resetConnectBackoff();
    }
    return seq;
  }

  /** Every attempt answered so far. */
  List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  /** Stops the clients and waits for each to finish the attempt it is in. */
  void stop() throws InterruptedException {
    stop.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop within 60 s");
      }
    }
  }

  private void thread(String name, Runnable body) {
    Thread thread = new Thread(body, "partition-load-" + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void pause(long millis) {
    try {
      stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
