package io.inlet.server.cluster;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.cluster.replication.LeaderFencedException;
import io.inlet.cluster.replication.ReplicationException;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.Entry;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredEntry;
import io.inlet.store.segment.SegmentLogException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The shards kept on more than one node, as the store's {@link ShardLog}: this node's replica in
 * the replicated shard log ({@link ReplicationNode}). An append is taken only while this node leads
 * the shard ({@link ShardLeadership}) and completes once a majority of the replicas has the entry
 * fsync'd; on any other node it is refused (UNAVAILABLE naming the leader: {@link ShardForwarding}
 * sends appends to the leader first). Reads and waits see this replica's entries up to the
 * committed LSN it knows: acknowledged entries only, on the leader and on followers alike (a
 * follower learns the committed LSN from the leader's next message, so it may be a moment behind).
 * Where the shard ends is at or past every acknowledged entry on any replica ({@link ShardEnds}). A
 * trim raises the shard's trim point in the replicated metadata ({@link ShardTrims}) before it
 * deletes this replica's entries below it: every other replica applies it too. Trims and retention
 * delete whole segments only, never beyond the committed LSN this replica knows.
 */
final class ReplicatedShardLog implements ShardLog {
  private final ReplicationNode node;
  private final ShardLeadership leadership;
  private final int selfId;
  private final ShardTrims trims;
  private final ShardEnds ends;

  ReplicatedShardLog(
      ReplicationNode node, ShardLeadership leadership, int selfId, ShardTrims trims) {
    this.node = node;
    this.leadership = leadership;
    this.selfId = selfId;
    this.trims = trims;
    this.ends = new ShardEnds(node, leadership);
  }

  @Override
  public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
    Optional<ShardLeader> leader = leadership.leader(shardId);
    if (leader.isEmpty()) {
      return CompletableFuture.failedFuture(notLeading(streamName, shardId));
    }
    return leader
        .get()
        .append(ReplicatedEntries.toSegment(entry, System.currentTimeMillis()))
        .handle(
            (lsn, error) -> {
              if (error == null) {
                return new AppendResult(streamName, shardId, lsn, entry.recordCount());
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof LeaderFencedException) {
                leadership.fenced(shardId);
              }
              throw new StoreUnavailableException(
                  "shard "
                      + shardId
                      + " of stream \""
                      + streamName
                      + "\": the append was not acknowledged by a majority of its replicas ("
                      + cause.getMessage()
                      + "); it may or may not be kept, retry",
                  cause);
            });
  }

  private StoreUnavailableException notLeading(String streamName, long shardId) {
    Optional<Integer> leader = leadership.leaderOf(shardId);
    String who =
        leader.isEmpty() || leader.get() == selfId
            ? "has no leader yet: a new leader is being chosen, retry"
            : "is led by node " + leader.get() + ", not by this node " + selfId;
    return new StoreUnavailableException(
        "shard " + shardId + " of stream \"" + streamName + "\" " + who);
  }

  @Override
  public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
    return guarded(
        () ->
            node.readVisible(shardId, fromLsn, maxBatches).stream()
                .map(e -> ReplicatedEntries.toStored(shardId, e))
                .toList());
  }

  /** Where the shard ends, at or past every acknowledged entry ({@link ShardEnds}). */
  @Override
  public ShardPosition position(long shardId) {
    return ends.position(shardId);
  }

  @Override
  public long lsnAtOrAfter(long shardId, long timestampMs) {
    return guarded(() -> node.lsnAtOrAfter(shardId, timestampMs));
  }

  @Override
  public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    CompletableFuture<Void> moved;
    try {
      moved = node.awaitVisibleBeyond(shardId, lsn);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(unavailable(shardId, e));
    }
    return moved.exceptionallyCompose(
        error -> CompletableFuture.failedFuture(unavailable(shardId, error)));
  }

  @Override
  public void trimBefore(long shardId, long lsn) {
    guarded(
        () -> {
          trims.raise(shardId, lsn);
          node.trimBefore(shardId, lsn);
          return null;
        });
  }

  private static <T> T guarded(Supplier<T> call) {
    try {
      return call.get();
    } catch (ReplicationException | SegmentLogException | UncheckedIOException e) {
      throw new StoreUnavailableException("the shard's replica failed: " + e.getMessage(), e);
    }
  }

  private static StoreUnavailableException unavailable(long shardId, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return new StoreUnavailableException(
        "shard " + shardId + ": its replica on this node closed: " + cause.getMessage(), cause);
  }
}
