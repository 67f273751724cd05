package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.TestEntries.entry;
import static io.inlet.cluster.replication.TestEntries.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.segment.SegmentEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's copy and a new leader that sends it entries again under its own epoch ({@link
 * ReplicaShard#accept}): the entries the copy knows committed stay, so the end its readers see
 * never falls back (a read "until the latest" on it would otherwise miss acknowledged records until
 * the new leader's commit reached it); the entries it does not know committed are cut as before.
 */
class FollowerCommittedEntriesTest {
  private static final long SHARD = 7;
  @TempDir Path dir;

  @Test
  void entries_known_committed_stay_visible_when_a_new_leader_sends_them_again() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      // The leader of epoch 1 streamed a, b, c here and told this copy all three are committed.
      durable(copy.accept(batch(1, 0, 0, 3, 1, entry("a", 1), entry("b", 1), entry("c", 1))));
      assertThat(copy.visibleLsn()).isEqualTo(3);

      // The leader of epoch 5 recovered from copies that knew only a committed: it appends b and c
      // again under epoch 5 and sends them from LSN 2 on, with its committed LSN still 1.
      AppendOutcome again = copy.accept(batch(5, 1, 1, 1, 2, entry("b", 5), entry("c", 5)));
      assertThat(copy.visibleLsn()).as("the end readers see, at once").isEqualTo(3);
      durable(again);
      assertThat(copy.visibleLsn()).as("the end readers see, once durable").isEqualTo(3);
      assertThat(((AppendOutcome.Accepted) again).ackedLsn()).isEqualTo(3);

      // The new leader's next entry follows on, though this copy wrote c under epoch 1.
      durable(copy.accept(batch(5, 3, 5, 4, 2, entry("d", 5))));
      assertThat(payloads(copy)).containsExactly("a", "b", "c", "d");
      assertThat(copy.visibleLsn()).isEqualTo(4);
    }
  }

  @Test
  void a_new_leaders_empty_batch_cuts_no_entry_known_committed() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      durable(copy.accept(batch(1, 0, 0, 3, 1, entry("a", 1), entry("b", 1), entry("c", 1))));

      // The leader of epoch 5 starts its epoch at LSN 2 and sends nothing yet (only LSN 1 agreed).
      durable(copy.accept(batch(5, 1, 1, 1, 2)));

      assertThat(payloads(copy)).containsExactly("a", "b", "c");
      assertThat(copy.visibleLsn()).isEqualTo(3);
    }
  }

  @Test
  void entries_not_known_committed_are_cut_when_a_new_leader_holds_others() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      durable(copy.accept(batch(1, 0, 0, 1, 1, entry("a", 1), entry("b", 1), entry("c", 1))));

      // Epoch 5 never saw b or c: it holds x at LSN 2.
      durable(copy.accept(batch(5, 1, 1, 2, 2, entry("x", 5))));

      assertThat(payloads(copy)).containsExactly("a", "x");
      assertThat(copy.epochAt(2)).isEqualTo(5);
      assertThat(copy.visibleLsn()).isEqualTo(2);
    }
  }

  private static AppendBatch batch(
      long epoch,
      long prevLsn,
      long prevEpoch,
      long committedLsn,
      long epochFirstLsn,
      SegmentEntry... entries) {
    return new AppendBatch(
        SHARD, epoch, prevLsn, prevEpoch, List.of(entries), committedLsn, epochFirstLsn, 0);
  }

  private static void durable(AppendOutcome outcome) {
    assertThat(outcome).isInstanceOf(AppendOutcome.Accepted.class);
    ((AppendOutcome.Accepted) outcome).durable().join();
  }
}
