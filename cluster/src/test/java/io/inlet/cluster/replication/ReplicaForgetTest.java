package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.TestEntries.entry;
import static io.inlet.cluster.replication.TestEntries.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.segment.SegmentEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of a shard this node no longer holds a replica of ({@link ReplicaStore#forget}): deleted,
 * files and all, only while it is still sealed at the epoch its caller read before confirming the
 * node is out of the replica set; and, unlike a deleted shard's, it may be placed here again as an
 * empty copy.
 */
class ReplicaForgetTest {
  private static final long SHARD = 7;
  @TempDir Path dir;

  @Test
  void a_copy_still_sealed_at_the_epoch_read_is_deleted_and_may_come_back_empty() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      accept(copy, 3, 0, entry("a", 3), entry("b", 3));
      Path log = dir.resolve("log/shard-" + SHARD);
      Path state = dir.resolve("state/shard-" + SHARD + ".state");
      assertThat(log).exists();
      assertThat(state).exists();

      assertThat(store.forget(SHARD, 3)).isTrue();

      assertThat(Files.exists(log)).isFalse();
      assertThat(Files.exists(state)).isFalse();
      assertThat(store.shardIds()).doesNotContain(SHARD);
      // Placed here again: an empty copy, which a later leader streams to from its first entry.
      ReplicaShard again = store.shard(SHARD);
      assertThat(again.tailLsn()).isZero();
      assertThat(again.sealedEpoch()).isZero();
      accept(again, 9, 0, entry("a", 3), entry("b", 3), entry("c", 9));
      assertThat(payloads(again)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void a_copy_a_leader_sealed_since_the_epoch_was_read_is_kept() throws Exception {
    try (ReplicaStore store = ReplicaStore.open(dir, LocalReplicas.OPTIONS)) {
      ReplicaShard copy = store.shard(SHARD);
      accept(copy, 3, 0, entry("a", 3), entry("b", 3));
      long read = copy.sealedEpoch();
      // The node was put back in the set meanwhile: the new leader sealed this copy.
      copy.seal(9).join();

      assertThat(store.forget(SHARD, read)).isFalse();

      assertThat(payloads(store.shard(SHARD))).containsExactly("a", "b");
      assertThat(store.shard(SHARD).sealedEpoch()).isEqualTo(9);
    }
  }

  private static void accept(ReplicaShard copy, long epoch, long prevLsn, SegmentEntry... entries)
      throws Exception {
    AppendOutcome outcome =
        copy.accept(
            new AppendBatch(
                SHARD, epoch, prevLsn, 0, List.of(entries), prevLsn + entries.length, 1, 0));
    assertThat(outcome).isInstanceOf(AppendOutcome.Accepted.class);
    ((AppendOutcome.Accepted) outcome).durable().join();
  }
}
