package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.LocalReplicas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica of a deleted shard: its files are gone and it takes no entry nor seal again. */
class ReplicaDeletionTest {
  private static final long SHARD = 7;
  private static final long OTHER = 8;
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void a_deleted_replica_has_no_files_fences_its_leader_and_refuses_a_new_one_after_restart() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader leader = replicas.lead(0, SHARD);
      ShardLeader other = replicas.lead(0, OTHER);
      for (int i = 0; i < 50; i++) {
        leader.append(entry("a-" + i)).join();
      }
      other.append(entry("b")).join();
      Path log = dir.resolve("n2/log/shard-" + SHARD);
      Path state = dir.resolve("n2/state/shard-" + SHARD + ".state");
      Await.until("node 2 holds the shard", LONG, () -> Files.exists(log) && Files.exists(state));

      replicas.node(2).deleteShard(SHARD);

      assertThat(log).doesNotExist();
      assertThat(state).doesNotExist();
      assertThat(replicas.node(2).heldShards()).containsExactly(OTHER);
      // The leader hears of the deletion with its next message to node 2 and stops.
      Await.until(
          "the leader is fenced by the deleted replica",
          LONG,
          () -> {
            try {
              leader.append(entry("late")).join();
              return false;
            } catch (CompletionException | LeaderFencedException e) {
              return true;
            }
          });
      assertThat(leader.isStopped()).isTrue();
      assertThat(other.append(entry("b2")).join()).isEqualTo(2);

      replicas.stop(2);
      replicas.restart(2);
      assertThat(log).doesNotExist();
      // A new leader is refused by the deleted replica: at its seal when that answer comes before a
      // majority of the others', otherwise as soon as it streams to it.
      ShardLeader again;
      try {
        again = replicas.lead(1, SHARD);
      } catch (ReplicationException refused) {
        // At its seal, or while committing the recovered entries again (which streams to it).
        assertThat(refused).hasStackTraceContaining("sealed at epoch " + Long.MAX_VALUE);
        again = null;
      }
      if (again != null) {
        ShardLeader late = again;
        Await.until(
            "the new leader is fenced by the deleted replica",
            LONG,
            () -> {
              try {
                late.append(entry("again")).join();
              } catch (CompletionException | LeaderFencedException e) {
                return true;
              }
              return late.isStopped();
            });
        assertThat(late.isStopped()).isTrue();
      }
      assertThat(log).doesNotExist();
      assertThat(replicas.node(2).heldShards()).containsExactly(OTHER);
    }
  }
}
