package io.inlet.server.cluster;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.cluster.replication.Replica;
import io.inlet.cluster.replication.ReplicationException;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.ShardPosition;
import io.inlet.store.segment.SegmentLogException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a replicated shard ends as this node answers it: at or past every entry acknowledged before
 * the question, on the leader and on followers alike (a read index). The shard's leader tells its
 * committed LSN (this node's own leader when it leads, else one {@code Committed} call to the
 * leader's replication service) and the answer waits until this node's replica shows that much. A
 * follower learns the committed LSN from its leader's next message only, so its own view may be a
 * moment behind; and a node taking the shard over as its new leader does not know the end until the
 * entries it recovered are committed again.
 *
 * <p>While the shard has no leader that answers (one is being chosen or is recovering the shard)
 * the question is asked again every {@value #RETRY_MS} ms, for up to {@value #WAIT_MS} ms in all,
 * so a read during a leader change waits rather than fails; then UNAVAILABLE (retry). A shard no
 * node ever led (a new one) ends before its first entry at once.
 */
final class ShardEnds {
  /** How long one question may wait for a leader and for this replica to catch up, in all. */
  static final long WAIT_MS = 5_000;

  private static final long RETRY_MS = 50;

  private final ReplicationNode node;
  private final ShardLeadership leadership;

  ShardEnds(ReplicationNode node, ShardLeadership leadership) {
    this.node = node;
    this.leadership = leadership;
  }

  /**
   * @throws StoreUnavailableException when no leader answered or this replica did not catch up
   *     within {@value #WAIT_MS} ms
   */
  ShardPosition position(long shardId) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (true) {
      long committed;
      try {
        committed = leaderCommitted(shardId, deadline);
      } catch (StoreUnavailableException | ReplicationException notNow) {
        if (System.nanoTime() - deadline >= 0) {
          throw notNow instanceof StoreUnavailableException unavailable
              ? unavailable
              : new StoreUnavailableException(
                  "shard " + shardId + ": " + notNow.getMessage() + "; retry", notNow);
        }
        pause();
        continue;
      }
      awaitVisible(shardId, committed, deadline);
      try {
        return new ShardPosition(node.firstLsn(shardId), node.visibleLsn(shardId));
      } catch (ReplicationException | SegmentLogException e) {
        throw new StoreUnavailableException("the shard's replica failed: " + e.getMessage(), e);
      }
    }
  }

  private long leaderCommitted(long shardId, long deadline) {
    if (leadership.recovering(shardId)) {
      throw new StoreUnavailableException(
          "shard "
              + shardId
              + ": this node is recovering it as its new leader; its end is known once the"
              + " recovered entries are committed again, retry");
    }
    Optional<ShardLeader> own = leadership.leader(shardId);
    if (own.isPresent()) {
      return own.get().committedLsn();
    }
    Optional<Replica> leader = leadership.leaderAddress(shardId);
    if (leader.isPresent()) {
      long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      return node.leaderCommitted(shardId, leader.get(), leftMs);
    }
    if (leadership.neverLed(shardId)) {
      return 0; // a new shard whose first leader has not claimed it yet: nothing acknowledged
    }
    throw new StoreUnavailableException(
        "shard "
            + shardId
            + " has no leader now (a new leader is being chosen); where it ends is known once it"
            + " has one, retry");
  }

  private void awaitVisible(long shardId, long committed, long deadline) {
    long leftNanos = Math.max(1, deadline - System.nanoTime());
    try {
      node.awaitVisibleBeyond(shardId, committed - 1).get(leftNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(
          "shard "
              + shardId
              + ": this node's replica shows LSN "
              + node.visibleLsn(shardId)
              + " of the "
              + committed
              + " its leader has committed, and did not catch up within "
              + WAIT_MS
              + " ms; retry, or read through the leader (LookupShard)");
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(
          "shard " + shardId + ": its replica on this node closed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while reading shard " + shardId, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_MS); // until a leader answers, within the question's deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for a shard's leader", e);
    }
  }
}
