package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.testing.Await;
import io.inlet.testing.NetworkLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes, each in a network namespace of its own ({@link NetworkLab}), gossiping over
 * a private bridge: a node whose cable is cut is listed Dead by the two others, and once the cable
 * is back it joins again and every node lists all three running. The nodes use the documented
 * default gossip and gRPC ports, each in its own namespace.
 */
class ClusterPartitionIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final Map<Integer, NodeState> ALL_RUNNING =
      Map.of(1, NodeState.Running, 2, NodeState.Running, 3, NodeState.Running);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void a_node_cut_off_is_listed_dead_and_rejoins_when_its_network_heals() throws Exception {
    NetworkLab lab = NetworkLab.create(3);
    open.add(lab);
    String seeds = lab.address(1) + ":6571," + lab.address(2) + ":6571";
    List<InletProcess> nodes = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      InletProcess process =
          InletProcess.startIn(
              lab,
              node,
              dir.resolve("work-" + node),
              dir.resolve("data-" + node),
              "--node-id",
              Integer.toString(node),
              "--grpc-port",
              "6570",
              "--seeds",
              seeds,
              "--gossip-port",
              "6571",
              "--gossip-timings",
              "fast");
      open.add(process);
      nodes.add(process);
    }
    List<GrpcClient> clients = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      nodes.get(node - 1).awaitReady(START);
      GrpcClient client = new GrpcClient(lab.address(node), 6570);
      open.add(client);
      clients.add(client);
    }
    for (GrpcClient client : clients) {
      awaitStates(client, ALL_RUNNING);
    }

    lab.isolate(3);
    for (GrpcClient client : clients.subList(0, 2)) {
      Await.until(
          () -> "the majority side lists node 3 dead: " + states(client),
          CONVERGE,
          () -> states(client).get(3) == NodeState.Dead);
      assertThat(states(client))
          .containsEntry(1, NodeState.Running)
          .containsEntry(2, NodeState.Running);
    }

    lab.heal(3);
    for (GrpcClient client : clients) {
      awaitStates(client, ALL_RUNNING);
    }
    assertThat(nodes).allSatisfy(node -> assertThat(node.isAlive()).isTrue());
  }

  private static void awaitStates(GrpcClient client, Map<Integer, NodeState> expected) {
    Await.until(
        () -> "the node lists " + expected + ", it lists " + states(client),
        CONVERGE,
        () -> states(client).equals(expected));
  }

  private static Map<Integer, NodeState> states(GrpcClient client) {
    try {
      return client
          .stub()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .describeCluster(Empty.getDefaultInstance())
          .getServerNodesStatusList()
          .stream()
          .collect(Collectors.toMap(s -> s.getNode().getId(), ServerNodeStatus::getState));
    } catch (StatusRuntimeException unreachable) {
      return Map.of();
    }
  }
}
