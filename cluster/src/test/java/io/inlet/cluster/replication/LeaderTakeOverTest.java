package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.TestEntries.entry;
import static io.inlet.cluster.replication.TestEntries.payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new leader's start on its own copy ({@link ReplicaShard#takeOver}): it cuts the copy back and
 * appends what it recovered only while the copy is still sealed at its epoch (a later leader may
 * have sealed the copy meanwhile and counted entries of its own there towards a majority: cutting
 * them would lose acknowledged records), and its readers see at once every entry the recovery found
 * committed.
 */
class LeaderTakeOverTest {
  private static final long SHARD = 7;
  @TempDir Path dir;

  @Test
  void a_copy_sealed_by_a_later_leader_meanwhile_is_not_cut() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      copy.seal(1).join();
      copy.appendAsLeader(entry("a").withEpoch(1)).durable().join();
      copy.appendAsLeader(entry("b").withEpoch(1)).durable().join();
      // Leader of epoch 2 sealed this copy and is recovering; the leader of epoch 3 seals it and
      // streams an entry of its own here, which it may count as durable on this replica.
      copy.seal(2).join();
      AppendOutcome taken =
          copy.accept(new AppendBatch(SHARD, 3, 2, 1, List.of(entry("c").withEpoch(3)), 0, 3, 0));
      assertThat(taken).isInstanceOf(AppendOutcome.Accepted.class);
      ((AppendOutcome.Accepted) taken).durable().join();

      assertThatThrownBy(() -> copy.takeOver(2, 1, List.of(entry("b"))))
          .isInstanceOf(LeaderFencedException.class)
          .hasMessageContaining("sealed at epoch 3");
      assertThat(payloads(copy)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void a_leader_still_sealed_at_its_epoch_cuts_back_and_appends_what_it_recovered()
      throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      copy.seal(1).join();
      copy.appendAsLeader(entry("a").withEpoch(1)).durable().join();
      copy.appendAsLeader(entry("stale").withEpoch(1)).durable().join();
      copy.seal(2).join();

      List<ReplicaShard.LocalAppend> appended =
          copy.takeOver(2, 1, List.of(entry("b"), entry("c")));
      appended.get(appended.size() - 1).durable().join();

      assertThat(appended).extracting(ReplicaShard.LocalAppend::lsn).containsExactly(2L, 3L);
      assertThat(payloads(copy)).containsExactly("a", "b", "c");
      assertThat(copy.epochAt(1)).isEqualTo(1);
      assertThat(copy.epochAt(2)).isEqualTo(2);
      assertThat(copy.epochAt(3)).isEqualTo(2);
    }
  }

  @Test
  void a_new_leader_shows_its_readers_what_its_recovery_found_committed() throws Exception {
    try (LocalReplicas replicas = new LocalReplicas(dir.resolve("nodes"), 1);
        ReplicaStore store = ReplicaStore.open(dir.resolve("copy"), LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      copy.seal(1).join();
      copy.appendAsLeader(entry("a").withEpoch(1)).durable().join();
      copy.appendAsLeader(entry("b").withEpoch(1)).durable().join();
      copy.seal(2).join();
      assertThat(copy.visibleLsn()).as("a copy that never learnt a commit").isZero();

      // The recovery found both entries committed (another replica knew it): nothing to append
      // again, and no later append may come to move the committed LSN.
      ShardLeader leader =
          new ShardLeader(
              copy, 2, new LeaderRecovery.Recovered(2, List.of()), List.of(), replicas.node(0));
      try {
        assertThat(copy.visibleLsn()).isEqualTo(2);
        assertThat(payloads(copy)).containsExactly("a", "b");
      } finally {
        leader.close();
      }
    }
  }
}
