package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.LocalReplicas.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.segment.LoggedEntry;
import io.inlet.testing.Await;
import io.inlet.testing.HistoryChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replicated shard logs of 3 and 5 nodes in this process, talking gRPC over loopback. */
class ReplicatedShardLogTest {
  private static final long SHARD = 7;
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void appends_complete_only_once_a_majority_has_them_fsynced() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader leader = replicas.lead(0, SHARD);
      List<CompletableFuture<Long>> first = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        first.add(leader.append(entry("a-" + i)));
      }
      assertThat(first.get(99).join()).isEqualTo(100);
      replicas.stop(1);
      replicas.stop(2);

      List<CompletableFuture<Long>> waiting = new ArrayList<>();
      for (int i = 100; i < 110; i++) {
        waiting.add(leader.append(entry("a-" + i)));
      }
      Await.until(
          "the leader's own copy holds 110 entries",
          LONG,
          () -> replicas.node(0).durableLsn(SHARD) == 110);
      assertThat(waiting).noneMatch(CompletableFuture::isDone);
      assertThat(leader.committedLsn()).isEqualTo(100);

      replicas.restart(1);
      assertThat(waiting.get(9).orTimeout(60, TimeUnit.SECONDS).join()).isEqualTo(110);
      assertThat(waiting).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      Await.until(
          "node 1 holds 110 entries", LONG, () -> replicas.node(1).durableLsn(SHARD) == 110);
      assertThat(replicas.ids(1, SHARD)).isEqualTo(replicas.ids(0, SHARD));
    }
  }

  @ParameterizedTest(name = "{0} replicas")
  @ValueSource(ints = {3, 5})
  void a_new_leader_keeps_every_acknowledged_entry_once_and_in_order_on_every_replica(int n)
      throws Exception {
    try (LocalReplicas replicas = new LocalReplicas(dir, n)) {
      List<HistoryChecker.Event> history = Collections.synchronizedList(new ArrayList<>());
      ShardLeader first = replicas.lead(0, SHARD);
      Producers producers = new Producers(first, history, "p", 4);
      producers.start();
      Await.until("2000 appends acknowledged", LONG, () -> producers.acked() >= 2000);
      replicas.stop(0); // mid-stream: appends in flight on every link
      producers.awaitEnd();

      ShardLeader second = replicas.lead(1, SHARD);
      assertThat(second.epoch()).isGreaterThan(first.epoch());
      Producers more = new Producers(second, history, "q", 2);
      more.start();
      Await.until("500 more acknowledged", LONG, () -> more.acked() >= 500);
      replicas.restart(0);
      more.stop();
      more.awaitEnd();

      Await.until(
          "the leader holds what it committed",
          LONG,
          () -> replicas.node(1).durableLsn(SHARD) >= second.committedLsn());
      List<String> leaderIds = replicas.ids(1, SHARD);
      assertThat(leaderIds).hasSize((int) second.committedLsn());
      assertThat(HistoryChecker.violations(List.copyOf(history), leaderIds)).isEmpty();
      for (int i = 0; i < n; i++) {
        int node = i;
        Await.until(
            "node " + node + " holds the leader's log",
            LONG,
            () -> leaderIds.equals(replicas.idsWhileCatchingUp(node, SHARD)));
      }
    }
  }

  @Test
  void a_new_leader_recovers_on_a_majority_without_waiting_for_a_replica_that_does_not_answer() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 2);
        SilentReplica silent = new SilentReplica()) {
      ShardReplicas followers = shardId -> List.of(replicas.node(1).self(), silent.replica());

      ShardLeader leader = replicas.node(0).lead(SHARD, followers, replicas.epochs);

      // It led once itself and node 1 were sealed: the silent replica's seal is still waiting
      // (before, the recovery waited for every replica's answer or deadline). The seal is sent
      // at the same time as node 1's, so it may reach the silent replica just after lead returns.
      Await.until(
          "the silent replica holds the seal, unanswered", LONG, () -> silent.sealsWaiting() == 1);
      assertThat(leader.append(entry("a-0")).orTimeout(60, TimeUnit.SECONDS).join()).isEqualTo(1);
      Await.until("node 1 holds the entry", LONG, () -> replicas.node(1).durableLsn(SHARD) == 1);
    }
  }

  @Test
  void a_follower_with_unacknowledged_entries_of_an_old_epoch_is_truncated() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader old = replicas.lead(0, SHARD);
      for (int i = 0; i < 10; i++) {
        old.append(entry("a-" + i));
      }
      old.append(entry("a-9b")).join();
      replicas.stop(1);
      replicas.stop(2);
      List<CompletableFuture<Long>> unacked = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        unacked.add(old.append(entry("lost-" + i)));
      }
      Await.until(
          "the old leader holds its 16 entries",
          LONG,
          () -> replicas.node(0).durableLsn(SHARD) == 16);
      replicas.stop(0);
      assertThat(unacked).allMatch(CompletableFuture::isCompletedExceptionally);

      replicas.restart(1);
      replicas.restart(2);
      ShardLeader leader = replicas.lead(1, SHARD);
      for (int i = 0; i < 3; i++) {
        leader.append(entry("b-" + i)).join();
      }
      replicas.restart(0);
      List<String> expected = replicas.ids(1, SHARD);
      assertThat(expected).hasSize(14).noneMatch(id -> id.startsWith("lost-"));
      Await.until(
          "node 0 dropped its unacknowledged entries",
          LONG,
          () -> expected.equals(replicas.idsWhileCatchingUp(0, SHARD)));
      List<LoggedEntry> log = replicas.log(0, SHARD);
      assertThat(log.get(13).entry().epoch()).isEqualTo(leader.epoch());
    }
  }

  /**
   * Followers learn the committed LSN from the leader's requests; once appends stop, the last
   * commit must still reach them (on the answer to the last request out, or in a request of its
   * own), or their readers would never see the last entries of a shard that goes quiet.
   */
  @Test
  void followers_readers_see_every_committed_entry_once_appends_stop() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader leader = replicas.lead(0, SHARD);
      for (int round = 1; round <= 20; round++) {
        CompletableFuture<Long> last = null;
        for (int i = 0; i < round * 7; i++) {
          last = leader.append(entry("r" + round + "-" + i));
        }
        long end = last.join();
        int thisRound = round;
        for (int node = 1; node <= 2; node++) {
          int follower = node;
          Await.until(
              () ->
                  "round "
                      + thisRound
                      + ": node "
                      + follower
                      + " lets readers see up to LSN "
                      + end
                      + ", sees "
                      + replicas.node(follower).visibleLsn(SHARD),
              LONG,
              () -> replicas.node(follower).visibleLsn(SHARD) == end);
        }
      }
      assertThat(replicas.ids(1, SHARD)).isEqualTo(replicas.ids(0, SHARD));
    }
  }

  @Test
  void a_follower_restarted_behind_catches_up_from_the_leader_log() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader leader = replicas.lead(0, SHARD);
      leader.append(entry("a-0")).join();
      replicas.stop(2);
      CompletableFuture<Long> last = null;
      for (int i = 1; i < 3000; i++) {
        last = leader.append(entry("a-" + i));
      }
      assertThat(last.join()).isEqualTo(3000);
      replicas.restart(2);
      Await.until("node 2 caught up", LONG, () -> replicas.node(2).durableLsn(SHARD) == 3000);
      assertThat(replicas.ids(2, SHARD)).isEqualTo(replicas.ids(0, SHARD));
    }
  }

  @Test
  void a_replaced_leader_is_fenced_and_acknowledges_nothing_more() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 3)) {
      ShardLeader old = replicas.lead(0, SHARD);
      old.append(entry("a-0")).join();
      ShardLeader leader = replicas.lead(1, SHARD);
      assertThatThrownBy(() -> old.append(entry("a-1")).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(LeaderFencedException.class);
      assertThat(leader.append(entry("b-0")).join()).isEqualTo(2);
      assertThat(replicas.ids(1, SHARD)).containsExactly("a-0", "b-0");
    }
  }

  /** Producers appending ids {@code <name><k>-<seq>} with a window of appends in flight each. */
  private static final class Producers {
    private final ShardLeader leader;
    private final List<HistoryChecker.Event> history;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicInteger inFlight =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger ackedHere =
        new java.util.concurrent.atomic.AtomicInteger();

    Producers(ShardLeader leader, List<HistoryChecker.Event> history, String name, int count) {
      this.leader = leader;
      this.history = history;
      for (int k = 0; k < count; k++) {
        String producer = name + k;
        threads.add(new Thread(() -> run(producer), "producer-" + producer));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    private void run(String producer) {
      Semaphore window = new Semaphore(32);
      for (long seq = 0; !stopped; seq++) {
        try {
          window.acquire();
        } catch (InterruptedException e) {
          return;
        }
        String id = producer + "-" + seq;
        inFlight.incrementAndGet();
        history.add(HistoryChecker.Event.invoked(id));
        CompletableFuture<Long> done = leader.append(entry(id));
        done.whenComplete(
            (lsn, error) -> {
              if (error == null) {
                history.add(HistoryChecker.Event.acked(id));
                ackedHere.incrementAndGet();
              } else {
                stopped = true;
              }
              inFlight.decrementAndGet();
              window.release();
            });
      }
    }

    int acked() {
      return ackedHere.get();
    }

    void stop() {
      stopped = true;
    }

    void awaitEnd() throws InterruptedException {
      for (Thread t : threads) {
        t.join();
      }
      Await.until("every append answered", LONG, () -> inFlight.get() == 0);
    }
  }
}
