package io.inlet.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RendezvousPlacementTest {

  private static final int SHARDS = 3_000;

  @Test
  void picksDistinctLiveNodesLeaderFirstAndTheSameEveryTime() {
    ShardPlacement placement = RendezvousPlacement.place(42, 3, List.of(5, 1, 9, 3, 1));

    assertThat(placement.replicas()).hasSize(3).doesNotHaveDuplicates();
    assertThat(List.of(5, 1, 9, 3)).containsAll(placement.replicas());
    assertThat(placement.leader()).isEqualTo(placement.replicas().get(0));
    assertThat(placement.followers()).isEqualTo(placement.replicas().subList(1, 3));
    assertThat(placement.underReplicated()).isFalse();
    assertThat(placement.quorum()).isEqualTo(2);
    assertThat(RendezvousPlacement.place(42, 3, List.of(3, 9, 1, 5))).isEqualTo(placement);
  }

  @Test
  void fewerLiveNodesThanTheFactorIsUnderReplicatedAndNoneIsUnavailable() {
    ShardPlacement two = RendezvousPlacement.place(7, 3, List.of(1, 2));
    assertThat(two.replicas()).containsExactlyInAnyOrder(1, 2);
    assertThat(two.underReplicated()).isTrue();
    assertThat(two.available()).isTrue();
    assertThat(two.quorum()).isEqualTo(2);

    ShardPlacement none = RendezvousPlacement.place(7, 3, List.of());
    assertThat(none.available()).isFalse();
    assertThatThrownBy(none::leader).hasMessageContaining("shard 7 has no live replica");
    assertThat(none.followers()).isEmpty();
  }

  @Test
  void refusesAFactorBelowOne() {
    assertThatThrownBy(() -> RendezvousPlacement.place(1, 0, List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1, got 0");
  }

  @Test
  void spreadsLeadersAndReplicasEvenly() {
    List<Integer> nodes = List.of(1, 2, 3, 4, 5);
    Map<Integer, Integer> leaders = new HashMap<>();
    Map<Integer, Integer> replicas = new HashMap<>();
    shards()
        .forEach(
            shard -> {
              ShardPlacement placement = RendezvousPlacement.place(shard, 3, nodes);
              leaders.merge(placement.leader(), 1, Integer::sum);
              placement.replicas().forEach(node -> replicas.merge(node, 1, Integer::sum));
            });

    // Fair shares are 600 leaders and 1,800 replicas a node; allow 15% either way.
    assertThat(leaders.values()).allSatisfy(count -> assertThat(count).isBetween(510, 690));
    assertThat(replicas.values()).allSatisfy(count -> assertThat(count).isBetween(1_530, 2_070));
  }

  @Test
  void aJoiningNodeOnlyTakesSlotsAndLeavesOtherShardsAlone() {
    List<Integer> before = List.of(1, 2, 3, 4);
    List<Integer> after = List.of(1, 2, 3, 4, 5);
    int moved = 0;
    for (long shard : shards().toArray()) {
      ShardPlacement old = RendezvousPlacement.place(shard, 3, before);
      ShardPlacement now = RendezvousPlacement.place(shard, 3, after);
      if (!now.replicas().contains(5)) {
        assertThat(now).isEqualTo(old);
        continue;
      }
      moved++;
      Set<Integer> kept = new HashSet<>(now.replicas());
      kept.remove(5);
      assertThat(old.replicas()).containsAll(kept);
      if (now.leader() != 5) {
        assertThat(now.leader()).isEqualTo(old.leader());
      }
    }
    // The new node should hold about 3/5 of the shards.
    assertThat(moved).isBetween(1_530, 2_070);
  }

  @Test
  void aLeavingNodeHandsOnlyItsOwnSlotsOver() {
    List<Integer> before = List.of(1, 2, 3, 4, 5);
    List<Integer> after = List.of(1, 2, 4, 5);
    for (long shard : shards().toArray()) {
      ShardPlacement old = RendezvousPlacement.place(shard, 3, before);
      ShardPlacement now = RendezvousPlacement.place(shard, 3, after);
      if (!old.replicas().contains(3)) {
        assertThat(now).isEqualTo(old);
        continue;
      }
      List<Integer> survivors = old.replicas().stream().filter(node -> node != 3).toList();
      assertThat(now.replicas()).startsWith(survivors.toArray(Integer[]::new));
      assertThat(now.replicas()).hasSize(3).doesNotContain(3);
    }
  }

  private static LongStream shards() {
    return LongStream.range(0, SHARDS).map(i -> 1_000_000_007L * i + 17);
  }
}
