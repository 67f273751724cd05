package io.inlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real scalecube members on loopback: joining, gossiped state, leaving, and cluster names. */
class MembershipTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private final List<Membership> started = new ArrayList<>();

  @AfterEach
  void leave() {
    started.forEach(Membership::close);
  }

  @Test
  void nodes_started_with_the_same_seed_see_each_other_and_each_others_state() {
    Membership first = start("plant-a", 1, List.of());
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership second = start("plant-a", 2, List.of(seed));
    Membership third = start("plant-a", 3, List.of(seed));

    for (Membership node : List.of(first, second, third)) {
      Await.until(
          () -> "node " + node.self().nodeId() + " sees 3 members: " + node.members(),
          CONVERGE,
          () -> node.members().size() == 3);
    }
    assertThat(third.members()).extracting(MemberStatus::nodeId).containsExactly(1, 2, 3);

    second.announce(NodeState.RUNNING);
    Await.until(
        () -> "node 1 sees node 2 RUNNING: " + first.members(),
        CONVERGE,
        () -> stateOf(first, 2) == NodeState.RUNNING);
    MemberStatus seenByThird = byId(third).get(2);
    Await.until(
        () -> "node 3 sees node 2 RUNNING: " + third.members(),
        CONVERGE,
        () -> stateOf(third, 2) == NodeState.RUNNING);
    assertThat(byId(third).get(2).info())
        .isEqualTo(new NodeInfo(2, "127.0.0.1", 7002, 8002, "test", NodeState.RUNNING));
    assertThat(seenByThird).isNotNull();
  }

  @Test
  void a_node_that_leaves_is_listed_dead_and_can_come_back() {
    Membership first = start("plant-b", 1, List.of());
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership second = start("plant-b", 2, List.of(seed));
    Await.until("both see each other", CONVERGE, () -> first.members().size() == 2);

    second.close();
    started.remove(second);
    Await.until(
        () -> "node 1 lists node 2 DEAD: " + first.members(),
        CONVERGE,
        () -> stateOf(first, 2) == NodeState.DEAD);

    Membership again = start("plant-b", 2, List.of(seed));
    Await.until(
        () -> "node 1 sees node 2 back: " + first.members(),
        CONVERGE,
        () -> stateOf(first, 2) == NodeState.STARTING);
    assertThat(again.members()).extracting(MemberStatus::nodeId).contains(1, 2);
  }

  @Test
  void a_node_back_before_its_old_incarnation_is_gone_stays_listed_in_its_new_state() {
    Membership first = start("plant-d", 1, List.of());
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership old = start("plant-d", 2, List.of(seed));
    Await.until("node 1 sees node 2", CONVERGE, () -> stateOf(first, 2) == NodeState.STARTING);

    // Node 2 restarted so fast that its new incarnation joins before the old one's departure is
    // reported (here: before the old one even leaves).
    Membership again = start("plant-d", 2, List.of(seed));
    again.announce(NodeState.RUNNING);
    Await.until(
        () -> "node 1 sees node 2 RUNNING: " + first.members(),
        CONVERGE,
        () -> stateOf(first, 2) == NodeState.RUNNING);
    old.close();
    started.remove(old);

    Await.holds(
        "node 1 keeps node 2 RUNNING while its old incarnation leaves and is removed",
        Duration.ofSeconds(6),
        () -> stateOf(first, 2) == NodeState.RUNNING);
  }

  @Test
  void a_node_with_another_cluster_name_is_not_a_member() {
    Membership first = start("plant-c", 1, List.of());
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership member = start("plant-c", 2, List.of(seed));
    Membership stranger = start("plant-x", 3, List.of(seed));

    Await.until("the member joins", CONVERGE, () -> first.members().size() == 2);
    Await.holds(
        "the stranger stays out of plant-c and plant-c out of it",
        Duration.ofSeconds(3),
        () ->
            first.members().size() == 2
                && member.members().size() == 2
                && stranger.members().size() == 1);
  }

  private Membership start(String cluster, int nodeId, List<HostPort> seeds) {
    ClusterSettings settings =
        new ClusterSettings(
            cluster, "127.0.0.1", 0, seeds, ClusterSettings.Timings.fast(), Optional.empty());
    NodeInfo self =
        new NodeInfo(nodeId, "127.0.0.1", 7000 + nodeId, 8000 + nodeId, "test", NodeState.STARTING);
    Membership membership = Membership.join(settings, self);
    started.add(membership);
    return membership;
  }

  private static NodeState stateOf(Membership node, int nodeId) {
    MemberStatus status = byId(node).get(nodeId);
    return status == null ? null : status.state();
  }

  private static Map<Integer, MemberStatus> byId(Membership node) {
    return node.members().stream()
        .collect(Collectors.toMap(MemberStatus::nodeId, Function.identity()));
  }
}
