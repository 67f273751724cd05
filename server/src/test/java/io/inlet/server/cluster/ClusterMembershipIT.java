package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.Empty;
import io.inlet.api.config.ConfigException;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes started with the same seeds form one cluster over SWIM: DescribeCluster on any of them
 * lists every member with its state, a node that stops is listed Dead, and a node with another
 * cluster name is not admitted.
 */
class ClusterMembershipIT {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void nodes_with_the_same_seeds_list_each_other_and_a_stopped_node_as_dead() throws Exception {
    int[] gossip = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    String seeds = "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1];
    InletServer first = node(1, gossip[0], seeds, "plant");
    InletServer second = node(2, gossip[1], seeds, "plant");
    InletServer third = node(3, gossip[2], seeds, "plant");
    List<InletServer> nodes = List.of(first, second, third);

    for (InletServer asked : nodes) {
      GrpcClient client = client(asked);
      Await.until(
          () -> "node " + asked.config().nodeId() + " lists 3 running nodes: " + describe(client),
          CONVERGE,
          () ->
              states(client)
                  .equals(
                      Map.of(1, NodeState.Running, 2, NodeState.Running, 3, NodeState.Running)));
      DescribeClusterResponse cluster = client.stub().describeCluster(Empty.getDefaultInstance());
      assertThat(cluster.getServerNodesList())
          .extracting(ServerNode::getId, ServerNode::getPort)
          .containsExactlyInAnyOrder(
              tuple(1, first.grpcPort()), tuple(2, second.grpcPort()), tuple(3, third.grpcPort()));
    }

    third.close();
    GrpcClient viaFirst = client(first);
    Await.until(
        () -> "node 1 lists node 3 dead: " + describe(viaFirst),
        CONVERGE,
        () -> states(viaFirst).get(3) == NodeState.Dead);
    assertThat(viaFirst.stub().describeCluster(Empty.getDefaultInstance()).getServerNodesList())
        .extracting(ServerNode::getId)
        .containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void a_node_of_another_cluster_is_not_listed() throws Exception {
    int seedPort = FreePorts.one();
    String seeds = "127.0.0.1:" + seedPort;
    InletServer member = node(1, seedPort, seeds, "plant");
    InletServer other = node(2, FreePorts.one(), seeds, "lab");
    InletServer joined = node(3, FreePorts.one(), seeds, "plant");

    GrpcClient client = client(member);
    Await.until(
        () -> "node 1 lists node 3: " + describe(client),
        CONVERGE,
        () -> states(client).containsKey(3));
    Await.holds(
        "node 2 (cluster 'lab') stays out of 'plant' and alone in 'lab'",
        Duration.ofSeconds(3),
        () -> !states(client).containsKey(2) && states(client(other)).keySet().equals(Set.of(2)));
    assertThat(joined.gossipAddress()).isNotNull();
  }

  @Test
  void bad_cluster_settings_are_refused_naming_the_key() {
    assertThatThrownBy(() -> ServerConfig.forTests(dir, Map.of("seeds", "node-a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("seeds")
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ServerConfig.forTests(dir, Map.of("cluster-name", "a b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster-name");
    assertThatThrownBy(
            () ->
                ServerConfig.forTests(
                    dir, Map.of("seeds", "127.0.0.1:6571", "cluster-tls-cert-file", "node.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster-tls-key-file and cluster-tls-ca-file must be set together");
  }

  @Test
  void a_node_without_seeds_runs_alone_with_no_gossip_port() throws Exception {
    InletServer alone =
        InletServer.start(ServerConfig.forTests(dir.resolve("alone"), Map.of("node-id", "9")));
    open.add(alone);
    assertThat(alone.gossipAddress()).isNull();
    assertThat(states(client(alone))).isEqualTo(Map.of(9, NodeState.Running));
  }

  private InletServer node(int id, int gossipPort, String seeds, String clusterName) {
    Map<String, String> settings = new HashMap<>();
    settings.put("node-id", Integer.toString(id));
    settings.put("seeds", seeds);
    settings.put("gossip-port", Integer.toString(gossipPort));
    settings.put("cluster-name", clusterName);
    settings.put("gossip-timings", "fast");
    InletServer server =
        InletServer.start(ServerConfig.forTests(dir.resolve("node-" + id), settings));
    open.add(server);
    return server;
  }

  private GrpcClient client(InletServer server) {
    GrpcClient client = new GrpcClient(server.grpcPort());
    open.add(client);
    return client;
  }

  private static Map<Integer, NodeState> states(GrpcClient client) {
    return client
        .stub()
        .describeCluster(Empty.getDefaultInstance())
        .getServerNodesStatusList()
        .stream()
        .collect(Collectors.toMap(s -> s.getNode().getId(), ServerNodeStatus::getState));
  }

  private static String describe(GrpcClient client) {
    return states(client).toString();
  }
}
