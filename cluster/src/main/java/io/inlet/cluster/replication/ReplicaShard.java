package io.inlet.cluster.replication;

import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One node's copy of one shard's log, whether the node leads the shard or follows: the entries (in
 * the node's segment log), the epoch it is sealed at, the committed LSN it knows, and its epoch
 * table. Every change goes through this object's lock, in the order the segment log then applies
 * it; {@link #tailLsn()} counts what was handed to the log, {@link #durableLsn()} what is fsync'd.
 * {@link #visibleLsn()} is what readers may see: entries both committed (as far as this copy knows)
 * and durable here; {@link #awaitVisibleBeyond} waits for it to move.
 */
final class ReplicaShard {
  /**
   * The epoch a deleted copy answers with: above any leader's, so a leader still streaming to it is
   * fenced and no leader can seal it.
   */
  static final long DELETED_EPOCH = Long.MAX_VALUE;

  private final long shardId;
  private final SegmentLog log;
  private final ShardStateFile stateFile;
  private final EpochTable epochs = new EpochTable();

  private long sealedEpoch;
  private long committedLsn;
  private long tailLsn;
  private boolean deleted;
  // Set when the log under this copy was reopened (ReplicaStore#reopenLog): this object then
  // fails everything, and a new one holds the copy.
  private ReplicationException retired;
  private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);

  /** Completed (and replaced) each time the visible LSN may have moved. */
  private CompletableFuture<Void> visibleMoved = new CompletableFuture<>();

  private final Executor notifier;

  private ReplicaShard(long shardId, SegmentLog log, ShardStateFile stateFile, Executor notifier) {
    this.shardId = shardId;
    this.log = log;
    this.stateFile = stateFile;
    this.notifier = notifier;
  }

  /**
   * Opens a shard's copy from what the node has on disk: the state file and, to rebuild the epoch
   * table, one pass over the shard's log.
   */
  static ReplicaShard open(
      long shardId, SegmentLog log, ShardStateFile stateFile, Executor notifier)
      throws IOException {
    ReplicaShard shard = new ReplicaShard(shardId, log, stateFile, notifier);
    ShardStateFile.State state = stateFile.load();
    shard.sealedEpoch = state.sealedEpoch();
    shard.committedLsn = state.committedLsn();
    long next = log.firstLsn(shardId);
    long durable = log.durableLsn(shardId);
    while (next <= durable) {
      List<LoggedEntry> chunk = log.read(shardId, next, 4096);
      if (chunk.isEmpty()) {
        break;
      }
      for (LoggedEntry e : chunk) {
        shard.epochs.appended(e.lsn(), e.entry().epoch());
      }
      next = chunk.get(chunk.size() - 1).lsn() + 1;
    }
    shard.tailLsn = durable;
    shard.committedLsn = Math.min(shard.committedLsn, durable);
    return shard;
  }

  long shardId() {
    return shardId;
  }

  /**
   * Seals this copy at {@code epoch} (durably, before answering): entries of a lower epoch are
   * refused from then on. Completes once everything taken before is durable, with the tail, the
   * committed LSN and the epoch table; or at once, unsealed, when a higher epoch sealed it already.
   */
  CompletableFuture<SealOutcome> seal(long epoch) {
    CompletableFuture<?> pending;
    synchronized (this) {
      if (retired != null) {
        return CompletableFuture.failedFuture(retired);
      }
      if (deleted) {
        return CompletableFuture.completedFuture(
            new SealOutcome(false, DELETED_EPOCH, 0, 0, List.of()));
      }
      if (epoch < sealedEpoch) {
        return CompletableFuture.completedFuture(
            new SealOutcome(false, sealedEpoch, tailLsn, committedLsn, List.of()));
      }
      try {
        raiseSeal(epoch);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      pending = lastWrite;
    }
    return pending.thenApply(
        ignored -> {
          synchronized (this) {
            return new SealOutcome(true, sealedEpoch, tailLsn, committedLsn, epochs.rows());
          }
        });
  }

  /**
   * Takes a batch from a leader: refused when its epoch is below the seal or when it does not
   * follow this log; otherwise entries this log has already (same LSN, same epoch) are skipped,
   * entries of another epoch from the batch's first difference on are cut, and the rest appended.
   * Entries after the batch that are not in the leader's log (an older epoch at or after the
   * leader's epoch start) are cut too.
   *
   * <p>An entry this copy knows committed is never cut: every later leader holds the same entry at
   * its LSN (a new leader appends the entries it recovers again under its own epoch, so only the
   * epoch differs), and cutting it would take acknowledged entries from this copy's readers until
   * the new leader's commit reached it again. It is kept as it is, with its older epoch.
   */
  synchronized AppendOutcome accept(AppendBatch batch) throws IOException {
    failIfRetired();
    if (deleted) {
      return new AppendOutcome.StaleEpoch(DELETED_EPOCH);
    }
    if (batch.epoch() < sealedEpoch) {
      return new AppendOutcome.StaleEpoch(sealedEpoch);
    }
    raiseSeal(batch.epoch());
    // An entry known committed here is the leader's entry too, whatever epoch each copy wrote on
    // it.
    boolean follows =
        batch.prevLsn() <= tailLsn
            && (epochs.epochAt(batch.prevLsn()) == batch.prevEpoch()
                || batch.prevLsn() <= committedLsn);
    if (!follows && batch.restartAtLsn() > 0) {
      restartAt(batch.restartAtLsn(), batch.prevEpoch());
      follows = true;
    }
    if (!follows) {
      return new AppendOutcome.Mismatch(tailLsn, epochs.rows());
    }
    long lsn = batch.prevLsn();
    for (SegmentEntry entry : batch.entries()) {
      lsn++;
      if (lsn <= tailLsn) {
        if (epochs.epochAt(lsn) == entry.epoch() || lsn <= committedLsn) {
          continue;
        }
        truncateAfter(lsn - 1);
      }
      append(entry);
    }
    long keepUpTo = Math.max(Math.max(lsn, batch.epochFirstLsn() - 1), committedLsn);
    if (tailLsn > keepUpTo && epochs.epochAt(keepUpTo + 1) != batch.epoch()) {
      truncateAfter(keepUpTo);
    }
    committedLsn = Math.max(committedLsn, Math.min(batch.committedLsn(), lsn));
    signalAfterLastWrite();
    return new AppendOutcome.Accepted(lsn, lastWrite);
  }

  /** A local leader's append of an entry of its epoch (which must be the sealed one). */
  synchronized LocalAppend appendAsLeader(SegmentEntry entry) {
    failIfRetired();
    if (deleted) {
      throw new LeaderFencedException(shardId, entry.epoch(), DELETED_EPOCH);
    }
    if (entry.epoch() != sealedEpoch) {
      throw new LeaderFencedException(shardId, entry.epoch(), sealedEpoch);
    }
    long lsn = append(entry);
    return new LocalAppend(lsn, entry, lastWrite);
  }

  /**
   * A new leader's start on this copy, at once under this copy's lock: cuts the log after {@code
   * keepLsn} and appends the recovered {@code entries} (stamped with {@code epoch}). Nothing else
   * comes between: a seal by a later leader, which waits for what was handed to the log before it,
   * finds the recovered entries here, never a log cut short of entries a majority acknowledged.
   *
   * @throws LeaderFencedException when this copy is no longer sealed at {@code epoch} (a later
   *     leader sealed it, and may have counted entries of its own here): nothing is cut
   */
  synchronized List<LocalAppend> takeOver(long epoch, long keepLsn, List<SegmentEntry> entries) {
    failIfRetired();
    if (deleted) {
      throw new LeaderFencedException(shardId, epoch, DELETED_EPOCH);
    }
    if (sealedEpoch != epoch) {
      throw new LeaderFencedException(shardId, epoch, sealedEpoch);
    }
    truncateAfter(keepLsn);
    List<LocalAppend> appended = new ArrayList<>(entries.size());
    for (SegmentEntry entry : entries) {
      appended.add(appendAsLeader(entry.withEpoch(epoch)));
    }
    return appended;
  }

  /** An entry handed to the log at {@code lsn}; {@code durable} completes once it is fsync'd. */
  record LocalAppend(long lsn, SegmentEntry entry, CompletableFuture<?> durable) {}

  /** Drops the entries after {@code lsn} (in order with the appends before and after). */
  synchronized CompletableFuture<?> truncateAfter(long lsn) {
    if (retired != null) {
      return CompletableFuture.failedFuture(retired);
    }
    if (lsn >= tailLsn || deleted) {
      return lastWrite;
    }
    epochs.truncateAfter(lsn);
    tailLsn = lsn;
    committedLsn = Math.min(committedLsn, lsn);
    lastWrite = log.truncateAfter(shardId, lsn);
    return lastWrite;
  }

  /**
   * Drops this copy's entries and starts it again, empty, at {@code firstLsn}: the leader trimmed
   * what this copy lacks, and every entry before {@code firstLsn} was committed (trims never pass
   * the committed LSN). The leader's entry before it had {@code prevEpoch}.
   */
  private void restartAt(long firstLsn, long prevEpoch) {
    epochs.truncateAfter(0);
    if (prevEpoch > 0) {
      epochs.appended(firstLsn - 1, prevEpoch);
    }
    tailLsn = firstLsn - 1;
    committedLsn = firstLsn - 1;
    lastWrite = log.restartShard(shardId, firstLsn);
  }

  /** The first LSN this copy holds (above 1 once trimmed or restarted). */
  long firstLsn() {
    return log.firstLsn(shardId);
  }

  private long append(SegmentEntry entry) {
    long lsn = ++tailLsn;
    epochs.appended(lsn, entry.epoch());
    lastWrite =
        log.append(shardId, entry)
            .thenApply(
                given -> {
                  if (given != lsn) {
                    throw new IllegalStateException(
                        "the segment log gave LSN " + given + " where " + lsn + " was expected");
                  }
                  return given;
                });
    return lsn;
  }

  private void raiseSeal(long epoch) throws IOException {
    if (epoch > sealedEpoch) {
      stateFile.save(new ShardStateFile.State(epoch, committedLsn));
      sealedEpoch = epoch;
    }
  }

  /** Notes a committed LSN learnt from the leader (kept in memory; saved with the next seal). */
  synchronized void committed(long lsn) {
    if (retired != null) {
      return;
    }
    committedLsn = Math.max(committedLsn, Math.min(lsn, tailLsn));
    signalAfterLastWrite();
  }

  /** The highest LSN readers may see: committed as far as this copy knows, and durable here. */
  synchronized long visibleLsn() {
    return Math.min(committedLsn, durableLsn());
  }

  /**
   * Completes once {@link #visibleLsn()} exceeds {@code lsn} (at once if it does), on the replica
   * store's notifier thread.
   */
  CompletableFuture<Void> awaitVisibleBeyond(long lsn) {
    CompletableFuture<Void> moved;
    synchronized (this) {
      if (retired != null) {
        return CompletableFuture.failedFuture(retired);
      }
      moved = visibleMoved;
      if (visibleLsn() > lsn) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return moved.thenCompose(ignored -> awaitVisibleBeyond(lsn));
  }

  /** Wakes the waiters once what was handed to the log so far is durable (or failed). */
  private void signalAfterLastWrite() {
    lastWrite.whenCompleteAsync((ignored, error) -> signalVisible(), notifier);
  }

  private void signalVisible() {
    CompletableFuture<Void> moved;
    synchronized (this) {
      moved = visibleMoved;
      visibleMoved = new CompletableFuture<>();
    }
    moved.complete(null);
  }

  /**
   * Retires this object: the log under it is being reopened, which may cut entries it counts as
   * handed to the log. From now on it fails every change and wait with {@code why}, and saves no
   * state; the store opens the copy again from the reopened log.
   */
  void retire(ReplicationException why) {
    synchronized (this) {
      retired = why;
    }
    failWaiters(why);
  }

  private void failIfRetired() {
    if (retired != null) {
      throw new ReplicationException(retired.getMessage(), retired);
    }
  }

  /** Fails the waiters: the copy is closing. */
  void failWaiters(RuntimeException why) {
    CompletableFuture<Void> moved;
    synchronized (this) {
      moved = visibleMoved;
    }
    moved.completeExceptionally(why);
  }

  /** Up to {@code max} durable entries from {@code fromLsn} to {@code toLsn}. */
  List<LoggedEntry> read(long fromLsn, long toLsn, int max) {
    List<LoggedEntry> read = log.read(shardId, fromLsn, max);
    int end = read.size();
    while (end > 0 && read.get(end - 1).lsn() > toLsn) {
      end--;
    }
    return end == read.size() ? read : read.subList(0, end);
  }

  synchronized long epochAt(long lsn) {
    return epochs.epochAt(lsn);
  }

  EpochTable epochs() {
    return epochs;
  }

  synchronized long tailLsn() {
    return tailLsn;
  }

  long durableLsn() {
    return log.durableLsn(shardId);
  }

  synchronized long sealedEpoch() {
    return sealedEpoch;
  }

  synchronized long committedLsn() {
    return committedLsn;
  }

  /**
   * Marks this copy deleted and queues the deletion of its entries after what was handed to the log
   * before: from then on it takes no entry and no seal (they are answered with {@link
   * #DELETED_EPOCH}). Completes once the entries are gone from disk.
   */
  synchronized CompletableFuture<Void> delete() {
    deleted = true;
    tailLsn = 0;
    committedLsn = 0;
    epochs.truncateAfter(0);
    CompletableFuture<Void> gone = log.deleteShard(shardId);
    lastWrite = gone;
    return gone;
  }

  /**
   * As {@link #delete}, only when this copy is still sealed at {@code epoch} (and not deleted): no
   * leader has sealed it or sent it entries since, so none counts anything on it.
   *
   * @return the deletion, or null when the copy was sealed at another epoch meanwhile
   */
  synchronized CompletableFuture<Void> deleteIfSealedAt(long epoch) {
    if (deleted || sealedEpoch != epoch) {
      return null;
    }
    return delete();
  }

  synchronized boolean isDeleted() {
    return deleted;
  }

  /** Saves the committed LSN (at a clean close); nothing for a deleted copy. */
  synchronized void saveState() {
    if (deleted || retired != null) {
      return;
    }
    try {
      stateFile.save(new ShardStateFile.State(sealedEpoch, committedLsn));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
