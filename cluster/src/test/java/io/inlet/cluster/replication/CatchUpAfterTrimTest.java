package io.inlet.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.segment.SegmentEntry;
import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that needs entries its leader has trimmed (it was down longer than retention, or it is
 * a new replica) starts its log again at the leader's first entry and catches up from there.
 */
class CatchUpAfterTrimTest {
  private static final long SHARD = 7;
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void a_follower_behind_the_leaders_trim_point_restarts_at_it_and_catches_up() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      replicas.stop(2);
      ShardLeader leader = replicas.lead(0, SHARD);
      for (int i = 0; i < 100; i++) {
        leader.append(big("e-" + i)).join();
      }
      replicas.node(0).trimBefore(SHARD, 90);
      replicas.node(1).trimBefore(SHARD, 90);
      long first = replicas.node(0).firstLsn(SHARD);
      assertThat(first).isGreaterThan(1);

      replicas.restart(2);

      Await.until(
          "node 2 holds the leader's entries from LSN " + first,
          LONG,
          () -> replicas.node(2).durableLsn(SHARD) == 100);
      assertThat(replicas.node(2).firstLsn(SHARD)).isEqualTo(first);
      assertThat(replicas.ids(2, SHARD)).isEqualTo(replicas.ids(0, SHARD));
      assertThat(leader.append(big("after")).join()).isEqualTo(101);
      Await.until(
          "node 2 takes the next entry", LONG, () -> replicas.node(2).durableLsn(SHARD) == 101);
    }
  }

  /** An entry of 64 KiB: 16 fill a segment of the test's 1 MiB. */
  private static SegmentEntry big(String id) {
    byte[] payload = new byte[64 << 10];
    byte[] text = id.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(text, 0, payload, 0, text.length);
    return new SegmentEntry(payload, 1, 0, System.currentTimeMillis());
  }
}
