package io.inlet.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.segment.SegmentEntry;
import io.inlet.testing.Await;
import io.inlet.testing.HistoryChecker;
import io.inlet.testing.RequiredServices;
import io.inlet.testing.SmallTmpfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose disk fills (a real, small tmpfs under one of three nodes) refuses writes, says
 * why, and takes them again once there is room, with no restart: its replica store reopens its log.
 * Mounting needs root; elsewhere the test is skipped, or fails in CI ({@link RequiredServices}).
 */
class ReplicaDiskFullTest {
  private static final long SHARD = 11;
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final int ENTRY_BYTES = 64 << 10;

  @RegisterExtension final SmallTmpfs disk = SmallTmpfs.ofMegabytes(64); // the journal takes 32 MiB
  @TempDir Path dir;

  @Test
  void a_leader_whose_disk_fills_leads_again_once_freed_and_keeps_every_acknowledged_entry()
      throws Exception {
    try (LocalReplicas replicas = onTmpfs(0)) {
      Path filler = disk.fillAllBut(3 << 20);
      List<HistoryChecker.Event> history = new ArrayList<>();
      ShardLeader leader = replicas.lead(0, SHARD);
      Throwable failure = appendUntilFailure(leader, "a", history);

      assertThat(failure).isInstanceOf(ReplicationException.class);
      assertThat(leader.isStopped()).isTrue();
      assertThat(replicas.node(0).writesRefused())
          .hasValueSatisfying(
              why ->
                  assertThat(why)
                      .contains("the disk is full")
                      .contains("writes resume once the file system of"));

      Files.delete(filler);
      Await.until(
          "node 0's replica store takes writes again",
          LONG,
          () -> replicas.node(0).writesRefused().isEmpty());
      // What the node's leadership does every second: lead again, with a new epoch.
      ShardLeader again = replicas.lead(0, SHARD);
      assertThat(again.epoch()).isGreaterThan(leader.epoch());
      for (int i = 0; i < 20; i++) {
        String id = "b-" + i;
        history.add(HistoryChecker.Event.invoked(id));
        again.append(entry(id)).get(30, TimeUnit.SECONDS);
        history.add(HistoryChecker.Event.acked(id));
      }

      for (int node = 0; node < 3; node++) {
        int n = node;
        Await.until(
            "node " + n + " holds the 20 entries appended after the reopen",
            LONG,
            () -> replicas.node(n).durableLsn(SHARD) == replicas.node(0).durableLsn(SHARD));
        assertThat(HistoryChecker.violations(history, ids(replicas, n)))
            .as("node %d's log", n)
            .isEmpty();
      }
    }
  }

  @Test
  void a_follower_whose_disk_fills_catches_up_once_freed_while_the_majority_goes_on()
      throws Exception {
    try (LocalReplicas replicas = onTmpfs(1)) {
      Path filler = disk.fillAllBut(3 << 20);
      List<HistoryChecker.Event> history = new ArrayList<>();
      ShardLeader leader = replicas.lead(0, SHARD);
      int appended = 0;
      while (replicas.node(1).writesRefused().isEmpty()) {
        assertThat(appended).as("appends before node 1's disk is full").isLessThan(2_000);
        String id = "a-" + appended++;
        history.add(HistoryChecker.Event.invoked(id));
        // Nodes 0 and 2 are a majority: each append is acknowledged, full disk on 1 or not.
        leader.append(entry(id)).get(30, TimeUnit.SECONDS);
        history.add(HistoryChecker.Event.acked(id));
      }
      assertThat(replicas.node(1).writesRefused().orElseThrow()).contains("the disk is full");
      long stuckAt = replicas.node(1).durableLsn(SHARD);
      assertThat(stuckAt).isLessThan(replicas.node(0).durableLsn(SHARD));

      Files.delete(filler);
      Await.until(
          "node 1 catches up with the leader",
          LONG,
          () -> replicas.node(1).durableLsn(SHARD) == replicas.node(0).durableLsn(SHARD));
      assertThat(replicas.node(1).writesRefused()).isEmpty();
      assertThat(ids(replicas, 1)).isEqualTo(ids(replicas, 0));
      assertThat(HistoryChecker.violations(history, ids(replicas, 1))).isEmpty();
    }
  }

  /** Three nodes, node {@code full}'s directory on the tmpfs. */
  private LocalReplicas onTmpfs(int full) {
    Path mount = disk.path();
    return new LocalReplicas(
        i -> i == full ? mount.resolve("n" + i) : dir.resolve("n" + i), 3, i -> Optional.empty());
  }

  /** Appends one entry at a time until one fails: the failure. */
  private static Throwable appendUntilFailure(
      ShardLeader leader, String prefix, List<HistoryChecker.Event> history) throws Exception {
    for (int i = 0; i < 2_000; i++) {
      String id = prefix + "-" + i;
      history.add(HistoryChecker.Event.invoked(id));
      try {
        leader.append(entry(id)).get(30, TimeUnit.SECONDS);
        history.add(HistoryChecker.Event.acked(id));
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
    throw new AssertionError("2,000 appends of 64 KiB fitted in 3 MiB");
  }

  /** The ids of the entries node {@code n} holds, in LSN order. */
  private static List<String> ids(LocalReplicas replicas, int n) {
    return replicas.log(n, SHARD).stream()
        .map(e -> new String(e.entry().payload(), StandardCharsets.UTF_8))
        .map(text -> text.substring(0, text.indexOf('\n')))
        .toList();
  }

  /** An entry of {@link #ENTRY_BYTES}, starting with its id and a newline. */
  private static SegmentEntry entry(String id) {
    byte[] payload = new byte[ENTRY_BYTES];
    byte[] head = (id + "\n").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, payload, 0, head.length);
    return new SegmentEntry(payload, 1, 0, System.currentTimeMillis());
  }
}
