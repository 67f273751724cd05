package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.store.StreamStore;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream with replication factor 1 keeps each shard's records in a copy of the stream in its
 * owner's local store. Two nodes: node 1 the only metadata node, node 2 outside {@code
 * metadata-nodes} (it follows no change of the catalog, and reads it on each look).
 *
 * <ul>
 *   <li>A stream deleted through node 1 is deleted from node 2's local store too, records and all,
 *       after node 2's next look at the catalog. Before, node 2 kept them on disk until a stream of
 *       that name was created again.
 *   <li>Streams node 2's local store had before it joined the cluster are never touched: a cluster
 *       stream of the same name or shard ids cannot be kept there, and its appends on node 2 answer
 *       UNAVAILABLE saying why. Before, node 2 appended the cluster's records into its own stream
 *       of that name and deleted it, records and all, to hold the cluster's.
 * </ul>
 */
class LocalCopiesIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<InletServer> servers = new ArrayList<>();
  private final List<GrpcClient> clients = new ArrayList<>();

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
  void a_node_outside_the_metadata_nodes_deletes_its_copy_of_a_stream_deleted_elsewhere() {
    startTwoNodes();
    GrpcClient first = clients.get(0);
    first.createStream("gone", 8);
    List<Long> onNode2 = shardsOwnedBy(2, "gone");
    for (long shard : first.shardIds("gone")) {
      first.append("gone", shard, "r", 3);
    }
    assertThat(onNode2).as("shards owned by the node outside metadata-nodes").isNotEmpty();
    StreamStore local = localStore(2);
    assertThat(local.streams().get("gone")).as("node 2's copy").isPresent();
    assertThat(local.log().position(onNode2.get(0)).lastLsn()).isPositive();

    first.stub().deleteStream(DeleteStreamRequest.newBuilder().setStreamName("gone").build());

    Await.until(
        "node 2 deletes its copy of the deleted stream",
        CONVERGE,
        () -> local.streams().get("gone").isEmpty());
    assertThat(local.streams().shard(onNode2.get(0))).isEmpty();
  }

  @Test
  void streams_a_node_had_before_it_joined_are_never_touched() throws Exception {
    Path node2 = dir.resolve("node-2");
    try (InletServer alone = InletServer.start(ServerConfig.forTests(node2, Map.of()));
        GrpcClient client = new GrpcClient(alone.grpcPort())) {
      client.createStream("orders", 8); // shard ids 1 to 8 in this store
      client.createStream("older", 2); // 9 and 10
      for (String stream : List.of("orders", "older")) {
        for (long shard : client.shardIds(stream)) {
          client.append(stream, shard, stream + "-own-", 2);
        }
      }
    }

    startTwoNodes();
    GrpcClient first = clients.get(0);
    // The cluster's shard ids 1 to 8, with the same key ranges: only the creation time differs.
    first.createStream("orders", 8);
    List<Long> onNode2 = shardsOwnedBy(2, "orders");
    assertThat(onNode2).as("shards owned by node 2").isNotEmpty();
    for (long shard : first.shardIds("orders")) {
      Throwable failed = catchThrowable(() -> first.append("orders", shard, "cluster-", 1));
      if (onNode2.contains(shard)) {
        assertThat(failed).as("append to shard %d on node 2", shard).isNotNull();
        Status status = ((StatusRuntimeException) failed).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("before it joined the cluster");
      } else {
        assertThat(failed).as("append to shard %d on node 1", shard).isNull();
      }
    }
    closeAll();
    servers.clear();
    clients.clear();

    try (InletServer alone = InletServer.start(ServerConfig.forTests(node2, Map.of()));
        GrpcClient client = new GrpcClient(alone.grpcPort())) {
      for (Map.Entry<String, Integer> own : Map.of("orders", 8, "older", 2).entrySet()) {
        String stream = own.getKey();
        List<String> expected = new ArrayList<>();
        for (int shard = 0; shard < own.getValue(); shard++) {
          expected.addAll(List.of(stream + "-own-0", stream + "-own-1"));
        }
        assertThat(StreamContents.payloads(client, stream))
            .as("node 2's own stream %s", stream)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  /** Node 1 is the only metadata node; node 2 is outside {@code metadata-nodes}. */
  private void startTwoNodes() {
    String voter = "1@127.0.0.1:" + FreePorts.one();
    int[] gossip = {FreePorts.one(), FreePorts.one()};
    String seeds = "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1];
    for (int id = 1; id <= 2; id++) {
      InletServer server =
          InletServer.start(
              ServerConfig.forTests(
                  dir.resolve("node-" + id),
                  Map.of(
                      "node-id",
                      Integer.toString(id),
                      "metadata-nodes",
                      voter,
                      "seeds",
                      seeds,
                      "gossip-port",
                      Integer.toString(gossip[id - 1]),
                      "gossip-timings",
                      "fast",
                      "mqtt-port",
                      "0")));
      servers.add(server);
      clients.add(new GrpcClient(server.grpcPort()));
    }
    Await.until(
        "the metadata node elects itself",
        CONVERGE,
        () -> servers.get(0).replicatedMetadata().orElseThrow().leaderId().isPresent());
    for (GrpcClient client : clients) {
      Await.until(
          () -> "every node lists 2 running nodes: " + LocalCluster.states(client),
          CONVERGE,
          () ->
              LocalCluster.states(client).values().stream()
                      .filter(s -> s == NodeState.Running)
                      .count()
                  == 2);
    }
  }

  private List<Long> shardsOwnedBy(int node, String stream) {
    GrpcClient first = clients.get(0);
    List<Long> owned = new ArrayList<>();
    for (long shard : first.shardIds(stream)) {
      int owner =
          first
              .stub()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
              .getServerNode()
              .getId();
      if (owner == node) {
        owned.add(shard);
      }
    }
    return owned;
  }

  private StreamStore localStore(int node) {
    return ((ClusterStreamStore) servers.get(node - 1).store()).local();
  }
}
