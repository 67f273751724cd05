package io.inlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Incarnations of one node id, reported in the orders scalecube may report them. */
class MemberTableTest {
  private final MemberTable table =
      new MemberTable(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));

  @Test
  void a_node_restarted_at_once_stays_running_when_its_old_incarnation_is_removed_after() {
    table.present("old", node(3, NodeState.RUNNING));
    table.present("new", node(3, NodeState.STARTING));
    table.present("new", node(3, NodeState.RUNNING));

    assertThat(table.departing("old", node(3, NodeState.RUNNING), NodeState.UNAVAILABLE)).isEmpty();
    assertThat(table.departing("old", node(3, NodeState.RUNNING), NodeState.DEAD)).isEmpty();

    assertThat(table.all()).extracting(MemberStatus::state).containsExactly(NodeState.RUNNING);
  }

  @Test
  void a_node_removed_before_it_comes_back_is_dead_until_it_does() {
    table.present("old", node(3, NodeState.RUNNING));

    assertThat(table.departing("old", node(3, NodeState.RUNNING), NodeState.DEAD))
        .map(MemberStatus::state)
        .contains(NodeState.DEAD);
    assertThat(table.present("new", node(3, NodeState.STARTING)))
        .map(MemberStatus::state)
        .contains(NodeState.STARTING);
  }

  @Test
  void a_departure_news_of_the_current_incarnation_counts_and_is_told_once() {
    table.present("only", node(2, NodeState.RUNNING));

    assertThat(table.departing("only", node(2, NodeState.RUNNING), NodeState.UNAVAILABLE))
        .isPresent();
    assertThat(table.departing("only", node(2, NodeState.RUNNING), NodeState.UNAVAILABLE))
        .isEmpty();
    assertThat(table.all()).extracting(MemberStatus::state).containsExactly(NodeState.UNAVAILABLE);
  }

  @Test
  void a_departure_of_a_node_never_seen_is_recorded() {
    assertThat(table.departing("unseen", node(4, NodeState.RUNNING), NodeState.DEAD))
        .map(MemberStatus::state)
        .contains(NodeState.DEAD);
    assertThat(table.infoByAlias("node-4")).map(NodeInfo::nodeId).contains(4);
  }

  private static NodeInfo node(int id, NodeState state) {
    return new NodeInfo(id, "127.0.0.1", 7000 + id, 8000 + id, "test", state);
  }
}
