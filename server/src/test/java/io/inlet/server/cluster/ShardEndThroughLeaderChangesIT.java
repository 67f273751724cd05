package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.clusterkill.LocalCluster;
import io.inlet.server.testing.clusterkill.ShardOwners;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a replicated shard as each node reports it (GetTailRecordId) is at or past every batch
 * acknowledged before it was asked, and never falls back, while the shard changes leader under
 * load: a kill -9 of its leader, then the hand-back of leadership to it once it runs again.
 *
 * <p>Two defects this guards: a follower learns the committed LSN from its leader's next message
 * only, so it answered an end before the last acknowledged batches (now it asks the leader first: a
 * read index); and a follower that knew entries committed cut them when a new leader sent them
 * again under its own epoch, so its end fell back until that leader's commit reached it (the lost
 * batch {@code ClusterKillIT} reported once, 2026-12-05, fits it: a read "until the latest" there
 * missed acknowledged records). The second is a race of a few milliseconds that this test did not
 * catch in six rounds; {@code FollowerCommittedEntriesTest} pins it down.
 */
class ShardEndThroughLeaderChangesIT {
  private static final String STREAM = "ends";
  private static final int ROUNDS = Integer.getInteger("inlet.it.leaderChangeRounds", 2);
  private static final Duration START = Duration.ofMinutes(2);
  private static final Duration HAND_BACK = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void no_node_reports_a_shard_end_before_one_it_reported_through_leader_changes()
      throws Exception {
    try (LocalCluster cluster = new LocalCluster(3, dir, List.of())) {
      for (int i = 0; i < 3; i++) {
        cluster.spawn(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.awaitReady(i, START);
      }
      assertThat(cluster.awaitAllRunning(Duration.ofSeconds(60))).isTrue();
      HStreamApiGrpc.newBlockingStub(cluster.channel(0))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .createStream(
              Stream.newBuilder()
                  .setStreamName(STREAM)
                  .setShardCount(1)
                  .setReplicationFactor(3)
                  .build());
      long shard = ShardOwners.shardIds(cluster.channel(0), STREAM).get(0);

      Load load = new Load(cluster, shard);
      load.start();
      try {
        int handBacks = 0;
        for (int round = 1; round <= ROUNDS; round++) {
          Thread.sleep(2000); // appends and polls run on a settled leader
          int leader = ShardOwners.owner(cluster.channel(0), shard).getId() - 1;
          load.restarting(leader);
          cluster.kill(leader);
          Thread.sleep(2000); // another replica leads meanwhile
          cluster.spawn(leader);
          cluster.awaitReady(leader, START);
          load.restarted(leader);
          if (awaitLeader(cluster, shard, leader)) {
            handBacks++;
          }
        }
        Thread.sleep(2000); // polls after the last change
        load.stop();
        System.out.printf(
            "%d rounds, %d hand-backs: %d appends acknowledged, %d tails reported, %d fell back,"
                + " %d behind an acknowledged batch%n",
            ROUNDS,
            handBacks,
            load.acknowledged(),
            load.polls(),
            load.fallBacks().size(),
            load.behind().size());

        assertThat(load.acknowledged()).as("appends acknowledged").isPositive();
        assertThat(load.polls()).as("tails reported").isPositive();
        assertThat(handBacks).as("leadership handed back to the restarted node").isPositive();
        assertThat(load.fallBacks()).as("ends reported before an earlier one").isEmpty();
        assertThat(load.behind()).as("ends reported before an acknowledged batch").isEmpty();
      } finally {
        load.stop();
      }
    }
  }

  /** True once LookupShard names node {@code index} as the shard's leader again. */
  private static boolean awaitLeader(LocalCluster cluster, long shard, int index)
      throws InterruptedException {
    long deadline = System.nanoTime() + HAND_BACK.toNanos();
    while (System.nanoTime() < deadline) {
      if (ShardOwners.owner(cluster.channel(0), shard).getId() == index + 1) {
        return true;
      }
      Thread.sleep(200); // polling LookupShard, with a deadline
    }
    return false;
  }

  /**
   * Single-record Appends through node 1 (which forwards them to the leader) and, per node, a loop
   * of GetTailRecordId that notes every end below the highest that node reported since it started.
   */
  private static final class Load {
    private final LocalCluster cluster;
    private final long shard;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong lastAcknowledgedBatch = new AtomicLong(-1);
    private final AtomicLong polls = new AtomicLong();
    private final AtomicInteger[] starts = {
      new AtomicInteger(), new AtomicInteger(), new AtomicInteger()
    };
    private final boolean[] down = new boolean[3];
    private final ConcurrentLinkedQueue<String> fallBacks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> behind = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    Load(LocalCluster cluster, long shard) {
      this.cluster = cluster;
      this.shard = shard;
    }

    void start() {
      threads.add(new Thread(this::append, "appender"));
      for (int i = 0; i < 3; i++) {
        int node = i;
        threads.add(new Thread(() -> poll(node), "tail-poller-" + i));
      }
      threads.forEach(Thread::start);
    }

    synchronized void restarting(int node) {
      down[node] = true;
      starts[node].incrementAndGet();
    }

    synchronized void restarted(int node) {
      down[node] = false;
    }

    private synchronized boolean isDown(int node) {
      return down[node];
    }

    private void append() {
      AppendRequest.Builder request = AppendRequest.newBuilder().setStreamName(STREAM);
      request.setShardId(shard);
      long n = 0;
      while (running.get()) {
        byte[] payload = ("record-" + n++).getBytes(StandardCharsets.UTF_8);
        try {
          AppendResponse response =
              HStreamApiGrpc.newBlockingStub(cluster.channel(0))
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .append(
                      request
                          .setRecords(
                              RecordBatches.encode(
                                  List.of(HStreamRecords.raw("k", payload, Map.of())),
                                  CompressionType.None))
                          .build());
          lastAcknowledgedBatch.accumulateAndGet(response.getRecordIds(0).getBatchId(), Math::max);
          acknowledged.incrementAndGet();
        } catch (StatusRuntimeException e) {
          pause(); // the shard is changing leader: appends resume once it has one
        }
      }
    }

    private void poll(int node) {
      long highest = -1;
      int start = starts[node].get();
      GetTailRecordIdRequest request =
          GetTailRecordIdRequest.newBuilder().setStreamName(STREAM).setShardId(shard).build();
      while (running.get()) {
        if (isDown(node)) {
          pause();
          continue;
        }
        if (starts[node].get() != start) {
          start = starts[node].get();
          highest = -1; // a restarted node starts from what it had fsync'd and learnt committed
        }
        long acknowledgedBefore = lastAcknowledgedBatch.get();
        long tail;
        try {
          tail =
              HStreamApiGrpc.newBlockingStub(cluster.channel(node))
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getTailRecordId(request)
                  .getTailRecordId()
                  .getBatchId();
        } catch (StatusRuntimeException e) {
          continue; // down, or recovering the shard as its new leader (UNAVAILABLE): ask again
        }
        polls.incrementAndGet();
        if (tail < acknowledgedBefore) {
          behind.add(
              "node "
                  + (node + 1)
                  + " reported batch "
                  + tail
                  + " though batch "
                  + acknowledgedBefore
                  + " was acknowledged before it was asked");
        }
        if (starts[node].get() == start && tail < highest) {
          fallBacks.add("node " + (node + 1) + " reported batch " + tail + " after " + highest);
        }
        highest = Math.max(highest, tail);
      }
    }

    private void pause() {
      try {
        Thread.sleep(20); // between retries of a refused call
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.set(false);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
    }

    long acknowledged() {
      return acknowledged.get();
    }

    long polls() {
      return polls.get();
    }

    List<String> fallBacks() {
      return List.copyOf(fallBacks);
    }

    List<String> behind() {
      return List.copyOf(behind);
    }
  }
}
