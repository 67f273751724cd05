package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.subscription.ShardAssignment.Move;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {

  @Test
  void first_consumer_gets_every_shard() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L, 3L, 4L));
    List<Move> moves = a.join("c1");
    assertThat(moves).hasSize(4).allMatch(m -> m.from() == null && m.to().equals("c1"));
    assertThat(a.shardsOf("c1")).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void four_consumers_own_one_shard_each() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L, 3L, 4L));
    for (String c : List.of("c1", "c2", "c3", "c4")) {
      a.join(c);
    }
    Set<Long> owned = new HashSet<>();
    for (String c : List.of("c1", "c2", "c3", "c4")) {
      assertThat(a.shardsOf(c)).hasSize(1);
      owned.addAll(a.shardsOf(c));
    }
    assertThat(owned).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
  }

  @Test
  void a_joining_consumer_takes_shards_only_from_the_busiest() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L, 3L, 4L));
    a.join("c1");
    List<Move> moves = a.join("c2");
    assertThat(moves).hasSize(2).allMatch(m -> m.from().equals("c1") && m.to().equals("c2"));
    moves = a.join("c3");
    assertThat(moves).hasSize(1);
    assertThat(a.shardsOf("c1").size() + a.shardsOf("c2").size()).isEqualTo(3);
    assertThat(a.shardsOf("c3")).hasSize(1);
  }

  @Test
  void a_leaving_consumer_hands_its_shards_to_the_others() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L, 3L, 4L));
    a.join("c1");
    a.join("c2");
    List<Long> c2Shards = a.shardsOf("c2");
    List<Move> moves = a.leave("c2");
    assertThat(moves).extracting(Move::shardId).containsExactlyElementsOf(c2Shards);
    assertThat(moves).allMatch(m -> m.from().equals("c2") && m.to().equals("c1"));
    assertThat(a.shardsOf("c1")).hasSize(4);
    for (long shard = 1; shard <= 4; shard++) {
      assertThat(a.owner(shard)).isEqualTo("c1");
    }
  }

  @Test
  void the_last_consumer_leaving_leaves_shards_unowned_until_the_next_joins() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L));
    a.join("c1");
    List<Move> moves = a.leave("c1");
    assertThat(moves).hasSize(2).allMatch(m -> m.to() == null);
    assertThat(a.owner(1)).isNull();
    a.join("c2");
    assertThat(a.shardsOf("c2")).containsExactly(1L, 2L);
  }

  @Test
  void consumers_beyond_the_shard_count_wait_and_step_in_when_an_owner_leaves() {
    ShardAssignment a = new ShardAssignment(List.of(1L, 2L));
    a.join("c1");
    a.join("c2");
    assertThat(a.join("c3")).isEmpty();
    assertThat(a.shardsOf("c3")).isEmpty();
    String ownerOf1 = a.owner(1);
    List<Move> moves = a.leave(ownerOf1);
    assertThat(moves).containsExactly(new Move(1, ownerOf1, "c3"));
  }

  @Test
  void loads_never_differ_by_more_than_one() {
    List<Long> shards = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    ShardAssignment a = new ShardAssignment(shards);
    List<String> names = List.of("a", "b", "c", "d", "e");
    for (int i = 0; i < names.size(); i++) {
      a.join(names.get(i));
      assertBalanced(a, shards, names.subList(0, i + 1));
    }
    a.leave("b");
    assertBalanced(a, shards, List.of("a", "c", "d", "e"));
    a.leave("a");
    assertBalanced(a, shards, List.of("c", "d", "e"));
  }

  @Test
  void leaving_twice_or_unknown_is_a_no_op() {
    ShardAssignment a = new ShardAssignment(List.of(1L));
    a.join("c1");
    assertThat(a.leave("nobody")).isEmpty();
    a.leave("c1");
    assertThat(a.leave("c1")).isEmpty();
    assertThat(a.consumerCount()).isZero();
  }

  private static void assertBalanced(ShardAssignment a, List<Long> shards, List<String> present) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    Set<Long> owned = new HashSet<>();
    for (String n : present) {
      {
        int size = a.shardsOf(n).size();
        min = Math.min(min, size);
        max = Math.max(max, size);
        for (long s : a.shardsOf(n)) {
          assertThat(owned.add(s)).as("shard %s owned twice", s).isTrue();
          assertThat(a.owner(s)).isEqualTo(n);
        }
      }
    }
    assertThat(owned).containsExactlyInAnyOrderElementsOf(shards);
    assertThat(max - min).isLessThanOrEqualTo(1);
  }
}
