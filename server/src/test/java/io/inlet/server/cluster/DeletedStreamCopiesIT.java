package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.store.StreamStore;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream with replication factor 1 keeps each shard's records in its owner's local store. When
 * the stream is deleted through another node, a node outside {@code metadata-nodes} (which follows
 * no change of the catalog) deletes its copy too, records and all, after its next look at the
 * catalog. Before, it kept them on disk until a stream of that name was created again.
 */
class DeletedStreamCopiesIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void a_node_outside_the_metadata_nodes_deletes_its_copy_of_a_stream_deleted_elsewhere()
      throws Exception {
    String voter = "1@127.0.0.1:" + FreePorts.one();
    int[] gossip = {FreePorts.one(), FreePorts.one()};
    String seeds = "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1];
    List<InletServer> servers = new ArrayList<>();
    List<GrpcClient> clients = new ArrayList<>();
    try {
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
      for (GrpcClient client : clients) {
        Await.until(
            () -> "every node lists 2 running nodes: " + states(client),
            CONVERGE,
            () ->
                states(client).values().stream().filter(s -> s == NodeState.Running).count() == 2);
      }
      GrpcClient first = clients.get(0);
      first.createStream("gone", 8);
      List<Long> outside = new ArrayList<>();
      for (long shard : first.shardIds("gone")) {
        int owner =
            first
                .stub()
                .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
                .getServerNode()
                .getId();
        first.append("gone", shard, "r", 3);
        if (owner == 2) {
          outside.add(shard);
        }
      }
      assertThat(outside).as("shards owned by the node outside metadata-nodes").isNotEmpty();
      StreamStore local = ((ClusterStreamStore) servers.get(1).store()).local();
      assertThat(local.streams().get("gone")).as("node 2's copy").isPresent();
      assertThat(local.log().position(outside.get(0)).lastLsn()).isPositive();

      first.stub().deleteStream(DeleteStreamRequest.newBuilder().setStreamName("gone").build());

      Await.until(
          "node 2 deletes its copy of the deleted stream",
          CONVERGE,
          () -> local.streams().get("gone").isEmpty());
      assertThat(local.streams().shard(outside.get(0))).isEmpty();
    } finally {
      for (GrpcClient client : clients) {
        client.close();
      }
      for (InletServer server : servers) {
        server.close();
      }
    }
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
