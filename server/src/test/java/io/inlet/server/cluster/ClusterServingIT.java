package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Empty;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ResourceType;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving from any node, replication factor 1: three nodes in one JVM with {@code metadata-nodes}
 * and seeds on loopback, each with ephemeral gRPC ports, driven by real gRPC clients. A stream
 * created through one node is listed and described by the others; each shard has one owner, which
 * every node names in LookupShard and which holds the shard's records; any node takes Append and
 * forwards it there; a shard whose owner is down answers UNAVAILABLE naming the owner.
 */
class ClusterServingIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<InletServer> servers = new ArrayList<>();
  private final List<GrpcClient> clients = new ArrayList<>();

  @BeforeEach
  void startThreeNodes() throws Exception {
    int[] raft = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    int[] gossip = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    String metadataNodes =
        "1@127.0.0.1:" + raft[0] + ",2@127.0.0.1:" + raft[1] + ",3@127.0.0.1:" + raft[2];
    String seeds = "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1];
    for (int id = 1; id <= 3; id++) {
      Map<String, String> settings = new HashMap<>();
      settings.put("node-id", Integer.toString(id));
      settings.put("metadata-nodes", metadataNodes);
      settings.put("seeds", seeds);
      settings.put("gossip-port", Integer.toString(gossip[id - 1]));
      settings.put("gossip-timings", "fast");
      settings.put("mqtt-port", "0");
      InletServer server =
          InletServer.start(ServerConfig.forTests(dir.resolve("node-" + id), settings));
      servers.add(server);
      clients.add(new GrpcClient(server.grpcPort()));
    }
    Await.until(
        "the metadata nodes elect a leader",
        CONVERGE,
        () ->
            servers.stream()
                .allMatch(s -> s.replicatedMetadata().orElseThrow().leaderId().isPresent()));
    for (GrpcClient client : clients) {
      Await.until(
          () -> "every node lists 3 running nodes: " + states(client),
          CONVERGE,
          () -> states(client).values().stream().filter(s -> s == NodeState.Running).count() == 3);
    }
    // Ready: caught up with the metadata and the cluster's MQTT mapping rules read.
    for (InletServer server : servers) {
      Await.until(
          "node " + server.config().nodeId() + " answers /ready with 200",
          CONVERGE,
          () -> TestServers.ready(server) == 200);
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (GrpcClient client : clients) {
      client.close();
    }
    for (InletServer server : servers) {
      server.close();
    }
  }

  @Test
  void a_stream_created_on_one_node_is_served_by_all_and_appends_reach_each_shards_owner() {
    Stream created = clients.get(0).createStream("orders", 6);
    assertThat(created.getShardCount()).isEqualTo(6);

    // Listed and described by the others, with the same shards.
    List<Long> shards = clients.get(0).shardIds("orders");
    for (GrpcClient client : clients) {
      assertThat(
              client.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList())
          .extracting(Stream::getStreamName)
          .containsExactly("orders");
      assertThat(
              client
                  .stub()
                  .getStream(GetStreamRequest.newBuilder().setName("orders").build())
                  .getStream()
                  .getShardCount())
          .isEqualTo(6);
      assertThat(client.shardIds("orders")).isEqualTo(shards);
    }

    // Every node names the same owner for each shard, at its advertised gRPC address.
    Map<Long, Integer> owners = new HashMap<>();
    for (long shard : shards) {
      Set<ServerNode> answers = new HashSet<>();
      for (GrpcClient client : clients) {
        answers.add(
            client
                .stub()
                .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
                .getServerNode());
        answers.add(
            client
                .stub()
                .lookupResource(
                    LookupResourceRequest.newBuilder()
                        .setResType(ResourceType.ResShard)
                        .setResId(Long.toString(shard))
                        .build()));
      }
      assertThat(answers).hasSize(1);
      ServerNode owner = answers.iterator().next();
      assertThat(owner.getPort()).isEqualTo(servers.get(owner.getId() - 1).grpcPort());
      owners.put(shard, owner.getId());
    }
    assertThat(new HashSet<>(owners.values())).as("owners %s", owners).hasSizeGreaterThan(1);

    // Any node takes Append for any shard; the owner holds every record, in order.
    for (int n = 0; n < 3; n++) {
      for (long shard : shards) {
        AppendResponse response = clients.get(n).append("orders", shard, "via" + (n + 1) + "-", 2);
        assertThat(response.getRecordIdsList())
            .extracting(RecordId::getShardId)
            .containsOnly(shard);
      }
    }
    for (long shard : shards) {
      GrpcClient owner = clients.get(owners.get(shard) - 1);
      List<String> payloads =
          StreamContents.received(owner, shard).stream()
              .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
              .map(r -> r.getPayload().toStringUtf8())
              .toList();
      assertThat(payloads)
          .as("shard %d on its owner node %d", shard, owners.get(shard))
          .containsExactly("via1-0", "via1-1", "via2-0", "via2-1", "via3-0", "via3-1");
    }

    printForwardingCost(shards, owners);

    // Deleted through one node, it is gone on every node.
    clients
        .get(1)
        .stub()
        .deleteStream(DeleteStreamRequest.newBuilder().setStreamName("orders").build());
    for (GrpcClient client : clients) {
      assertThat(
              client.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList())
          .isEmpty();
    }
    long firstShard = shards.get(0);
    Await.until(
        "appends to the deleted stream fail on every node",
        CONVERGE,
        () ->
            clients.stream()
                .allMatch(
                    c -> {
                      Throwable failed =
                          catchThrowable(() -> c.append("orders", firstShard, "x", 1));
                      return failed instanceof StatusRuntimeException s
                          && s.getStatus().getCode() == Status.Code.NOT_FOUND;
                    }));
  }

  @Test
  void a_shard_whose_owner_is_down_answers_unavailable_naming_the_owner() {
    clients.get(0).createStream("meters", 8);
    List<Long> shards = clients.get(0).shardIds("meters");
    Map<Long, Integer> owners = new HashMap<>();
    for (long shard : shards) {
      owners.put(
          shard,
          clients
              .get(0)
              .stub()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
              .getServerNode()
              .getId());
    }
    long onThird = shardOwnedBy(owners, 3);
    long onSecond = shardOwnedBy(owners, 2);
    clients.get(0).append("meters", onThird, "before", 1);

    servers.get(2).close();
    GrpcClient first = clients.get(0);
    Await.until(
        () -> "node 1 no longer lists node 3 running: " + states(first),
        CONVERGE,
        () -> states(first).get(3) != NodeState.Running);

    Throwable failed = catchThrowable(() -> first.append("meters", onThird, "after", 1));
    assertThat(failed).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) failed).getStatus();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription())
        .contains(
            "shard " + onThird + " of stream", "meters", "held by node 3", "replication factor 1");
    GrpcClient.assertFails(
        () -> first.stub().lookupShard(LookupShardRequest.newBuilder().setShardId(onThird).build()),
        Status.Code.UNAVAILABLE,
        ErrorCode.InternalError);

    // The shards of the running nodes keep taking appends through any of them.
    assertThat(first.append("meters", onSecond, "still", 1).getRecordIdsCount()).isEqualTo(1);
    assertThat(clients.get(1).append("meters", onSecond, "still", 1).getRecordIdsCount())
        .isEqualTo(1);
  }

  @Test
  void an_mqtt_publish_on_a_node_that_does_not_own_the_shard_lands_on_its_owner() {
    clients.get(0).createStream("mqtt", 1); // the built-in rule's stream, one shard
    long shard = clients.get(0).shardIds("mqtt").get(0);
    int owner =
        clients
            .get(1)
            .stub()
            .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
            .getServerNode()
            .getId();
    InletServer other = servers.get(owner % 3);
    assertThat(other.config().nodeId()).isNotEqualTo(owner);

    Mqtt5BlockingClient device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("device-1")
            .serverHost("127.0.0.1")
            .serverPort(other.mqttPort())
            .buildBlocking();
    device.connect();
    for (int i = 0; i < 5; i++) {
      Mqtt5PublishResult result =
          device
              .publishWith()
              .topic("plant/line" + i)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
              .send();
      assertThat(
              ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError())
          .as("PUBACK of m%d from node %d", i, other.config().nodeId())
          .isFalse();
    }
    device.disconnect();

    List<String> onOwner =
        StreamContents.received(clients.get(owner - 1), shard).stream()
            .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
            .map(r -> r.getPayload().toStringUtf8())
            .toList();
    assertThat(onOwner).containsExactly("m0", "m1", "m2", "m3", "m4");
  }

  /** Not asserted: what the extra hop of a forwarded append costs on this machine. */
  private void printForwardingCost(List<Long> shards, Map<Long, Integer> owners) {
    long shard = shards.get(0);
    int owner = owners.get(shard);
    GrpcClient direct = clients.get(owner - 1);
    GrpcClient forwarded = clients.get(owner % 3);
    int rounds = 200;
    long[] directNanos = new long[rounds];
    long[] forwardedNanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      direct.append("orders", shard, "d", 1);
      directNanos[i] = System.nanoTime() - start;
      start = System.nanoTime();
      forwarded.append("orders", shard, "f", 1);
      forwardedNanos[i] = System.nanoTime() - start;
    }
    System.out.printf(
        "forwarding cost, %d single-record appends each (interleaved): direct to owner p50 %.2f ms"
            + " p99 %.2f ms; through another node p50 %.2f ms p99 %.2f ms%n",
        rounds,
        percentile(directNanos, 50),
        percentile(directNanos, 99),
        percentile(forwardedNanos, 50),
        percentile(forwardedNanos, 99));
  }

  private static double percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }

  private static long shardOwnedBy(Map<Long, Integer> owners, int node) {
    return owners.entrySet().stream()
        .filter(e -> e.getValue() == node)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no shard on node " + node + ": " + owners));
  }

  private static Map<Integer, NodeState> states(GrpcClient client) {
    return client
        .stub()
        .describeCluster(Empty.getDefaultInstance())
        .getServerNodesStatusList()
        .stream()
        .collect(Collectors.toMap(s -> s.getNode().getId(), ServerNodeStatus::getState));
  }
}
