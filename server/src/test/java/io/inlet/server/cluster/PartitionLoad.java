package io.inlet.server.cluster;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.ServerNode;
import io.inlet.server.testing.clusterkill.RecordedAppend;
import io.inlet.server.testing.clusterkill.ShardOwners;
import io.inlet.testing.history.OperationHistory;
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
