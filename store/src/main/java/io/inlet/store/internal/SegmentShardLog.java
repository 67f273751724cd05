package io.inlet.store.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.Entry;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.metrics.StoreMetrics.FailureReason;
import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogException;
import io.inlet.store.segment.SegmentLogReopener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard log in append-only segment files ({@link SegmentLog} in {@code data-dir/segments}), for
 * {@code shard-storage: segments}. Only the entries move: streams, shards, trim points and all
 * other metadata stay in RocksDB, and each shard's {@link ShardState} in the registry still holds
 * its trim point, deleted flag and tailing readers. Its durable LSN is the segment log's.
 *
 * <ul>
 *   <li>Appends: the segment log's group commit (one writer, one gathering write and one fsync per
 *       written segment); complete once fsync'd. The append time is taken when the append is
 *       queued, under the shard's lock and never below an earlier one, so it never decreases along
 *       a shard's LSNs ({@link #lsnAtOrAfter} bisects on it).
 *   <li>Trims: the trim point is written to RocksDB's {@code meta} (fsync'd) and hides everything
 *       below it at once; the segment log deletes the whole sealed segments below it.
 *   <li>Stream deletion: once the catalog has dropped a stream, its shards' files are deleted in
 *       order with the appends queued before ({@link #deleteShards}); files of shards no stream
 *       holds (a crash in between) are deleted at open ({@link #deleteOrphans}).
 * </ul>
 *
 * <p>Reads, trims and searches fail with StoreUnavailableException once the store is closed; an
 * unknown shard fails with {@link StoreException} {@code SHARD_NOT_FOUND}.
 */
final class SegmentShardLog implements ShardLog {
  private static final Logger logger = LoggerFactory.getLogger(SegmentShardLog.class);

  private final SegmentLog segments;
  private final SegmentLogReopener reopener;
  private final ShardRegistry registry;
  private final RocksStreamCatalog streams;
  private final MetaStore meta;
  private final StoreGate gate;
  private final StoreMetrics metrics;
  private final Clock clock;
  private final long maxQueuedBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong lastAppendTimeMs = new AtomicLong();

  SegmentShardLog(
      SegmentLog segments,
      SegmentLogReopener reopener,
      ShardRegistry registry,
      RocksStreamCatalog streams,
      MetaStore meta,
      StoreGate gate,
      StoreMetrics metrics,
      Clock clock,
      long maxQueuedBytes) {
    this.segments = segments;
    this.reopener = reopener;
    this.registry = registry;
    this.streams = streams;
    this.meta = meta;
    this.gate = gate;
    this.metrics = metrics;
    this.clock = clock;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with {@link StoreException} {@code STREAM_NOT_FOUND} for an unknown (or just deleted)
   * stream, {@code SHARD_NOT_IN_STREAM} for a shard not in it; with StoreUnavailableException when
   * the store is closing, more than the queue limit waits for the disk, or the write fails (the
   * segment log then takes no appends until {@link SegmentLogReopener} has reopened it).
   */
  /** Whether the segment log refuses appends after a failed write, until it is reopened. */
  boolean writesRefused() {
    return segments.failure() != null;
  }

  /** Payload bytes of appends accepted and not yet acknowledged or failed. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
    try {
      ShardState shard = registry.forAppend(streams, streamName, shardId);
      if (gate.isClosed()) {
        metrics.appendFailed(streamName, FailureReason.CLOSING);
        throw StoreErrors.closing();
      }
      int bytes = entry.payload().size();
      long queued = queuedBytes.addAndGet(bytes);
      if (queued > maxQueuedBytes && queued != bytes) {
        queuedBytes.addAndGet(-bytes);
        metrics.appendFailed(streamName, FailureReason.OVERLOADED);
        throw new StoreUnavailableException(
            "store is overloaded: more than "
                + (maxQueuedBytes >> 20)
                + " MiB of appends wait for the disk; retry later");
      }
      long submitted = System.nanoTime();
      CompletableFuture<Long> written;
      try {
        written = queue(shard, entry);
      } catch (RuntimeException e) {
        queuedBytes.addAndGet(-bytes);
        throw e;
      }
      return written.handle(
          (lsn, error) -> {
            queuedBytes.addAndGet(-bytes);
            if (error != null) {
              metrics.appendFailed(streamName, FailureReason.WRITE_FAILED);
              throw new CompletionException(appendFailed(error));
            }
            metrics.appended(streamName, entry.recordCount(), bytes, System.nanoTime() - submitted);
            shard.waiters.wake(segments.durableLsn(shardId));
            return new AppendResult(streamName, shardId, lsn, entry.recordCount());
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Queues the entry unless the stream is being deleted: the catalog marks a shard deleted under
   * the same lock, so no append reaches the segment log after the shard's deletion.
   */
  private CompletableFuture<Long> queue(ShardState shard, Entry entry) {
    synchronized (shard.trimLock) {
      if (shard.isDeleted()) {
        throw StoreException.streamNotFound(shard.streamName);
      }
      long appendTime = lastAppendTimeMs.accumulateAndGet(clock.millis(), Math::max);
      SegmentEntry segmentEntry =
          new SegmentEntry(
              entry.payload().toByteArray(), entry.recordCount(), entry.format(), appendTime);
      return segments.append(shard.shardId, segmentEntry);
    }
  }

  private RuntimeException appendFailed(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (gate.isClosed()) {
      return StoreErrors.closing();
    }
    return new StoreUnavailableException(reopener.appendFailed(cause), cause);
  }

  /**
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
    return gate.call(
        () -> {
          ShardState shard = registry.require(shardId);
          List<LoggedEntry> found =
              readSegments(shard, Math.max(fromLsn, shard.firstLsn()), maxBatches);
          List<StoredEntry> entries = new ArrayList<>(found.size());
          long bytes = 0;
          for (LoggedEntry logged : found) {
            StoredEntry stored = stored(shardId, logged);
            bytes += stored.entry().payload().size();
            entries.add(stored);
          }
          metrics.read(shard.streamName, entries.size(), bytes);
          return entries;
        });
  }

  private List<LoggedEntry> readSegments(ShardState shard, long fromLsn, int max) {
    try {
      return segments.read(shard.shardId, fromLsn, max);
    } catch (RuntimeException e) {
      if (shard.isDeleted()) {
        throw StoreException.shardNotFound(shard.shardId); // its files went while we read
      }
      if (e instanceof SegmentLogException) {
        throw new StoreUnavailableException(e.getMessage(), e);
      }
      throw e;
    }
  }

  private static StoredEntry stored(long shardId, LoggedEntry logged) {
    SegmentEntry entry = logged.entry();
    return new StoredEntry(
        shardId,
        logged.lsn(),
        entry.appendTimeMs(),
        new Entry(
            entry.recordCount(), entry.flags(), UnsafeByteOperations.unsafeWrap(entry.payload())));
  }

  @Override
  public ShardPosition position(long shardId) {
    ShardState shard = registry.require(shardId);
    // Durable first: a trim racing with us can only move the first LSN up to durable + 1.
    long last = segments.durableLsn(shardId);
    long first = Math.max(shard.firstLsn(), segments.firstLsn(shardId));
    return new ShardPosition(Math.min(first, last + 1), last);
  }

  /**
   * {@inheritDoc}
   *
   * <p>No time index: a binary search over the entries' append times, O(log n) reads of one entry,
   * each found through the segment's sparse index.
   *
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public long lsnAtOrAfter(long shardId, long timestampMs) {
    return gate.call(
        () -> {
          ShardState shard = registry.require(shardId);
          long high = segments.durableLsn(shardId);
          long low = Math.max(shard.firstLsn(), segments.firstLsn(shardId));
          long answer = high + 1;
          while (low <= high) {
            long mid = low + (high - low) / 2;
            List<LoggedEntry> at = readSegments(shard, mid, 1);
            if (at.isEmpty() || at.get(0).lsn() > high) {
              high = mid - 1;
            } else if (at.get(0).entry().appendTimeMs() >= timestampMs) {
              answer = at.get(0).lsn();
              high = mid - 1;
            } else {
              low = at.get(0).lsn() + 1;
            }
          }
          return answer;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with StoreException SHARD_NOT_FOUND for an unknown shard or when its stream is deleted
   * while waiting. The future completes on the segment log's ack thread: chain heavy work with an
   * executor of your own.
   */
  @Override
  public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    if (gate.isClosed()) {
      return CompletableFuture.failedFuture(StoreErrors.closed());
    }
    ShardState shard = registry.find(shardId);
    if (shard == null) {
      return CompletableFuture.failedFuture(StoreException.shardNotFound(shardId));
    }
    if (segments.durableLsn(shardId) > lsn) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = shard.waiters.add(lsn);
    // An append may have completed between our check and the add; don't miss that wake-up.
    shard.waiters.wake(segments.durableLsn(shardId));
    // Close and delete fail the waiters they see; one registered just after must not hang.
    if (gate.isClosed()) {
      shard.waiters.failAll(StoreErrors.closed());
    } else if (shard.isDeleted()) {
      shard.waiters.failAll(StoreException.shardNotFound(shardId));
    }
    return waiter;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An LSN beyond the last durable one trims up to it. The entries below the trim point are
   * hidden when this returns; the files holding them go once their whole segment is below it.
   *
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public void trimBefore(long shardId, long lsn) {
    gate.run(
        () -> {
          ShardState shard = registry.require(shardId);
          long target;
          synchronized (shard.trimLock) {
            if (shard.isDeleted()) {
              throw StoreException.shardNotFound(shardId);
            }
            target = Math.min(lsn, segments.durableLsn(shardId) + 1);
            if (target <= shard.firstLsn()) {
              return;
            }
            meta.put(
                MetaKeys.numbered(MetaKeys.TRIM_POINT, shardId),
                Bytes.ofLong(target),
                "trim shard " + shardId);
            shard.trimmedBefore(target);
          }
          try {
            segments.trimBefore(shardId, target);
          } catch (SegmentLogException e) {
            // The trim point holds; the next trim deletes the files.
            logger.warn("shard {}: {}", shardId, e.getMessage());
          }
        });
  }

  /**
   * Deletes the files of a deleted stream's shards; called once the catalog has dropped the stream.
   * A failure is logged: the files are deleted at the next open.
   */
  void deleteShards(StreamInfo stream) {
    for (var shard : stream.shards()) {
      try {
        segments.deleteShard(shard.shardId()).join();
      } catch (RuntimeException e) {
        logger.warn(
            "stream \"{}\": cannot delete the segments of shard {} now ({}); the next open does",
            stream.name(),
            shard.shardId(),
            e.toString());
      }
    }
  }

  /** At open: deletes the files of shards no stream holds (their stream deleted before a crash). */
  void deleteOrphans() {
    for (long shardId : segments.shardIds()) {
      if (streams.shard(shardId).isEmpty()) {
        logger.info("deleting the segments of shard {}, which no stream holds", shardId);
        segments.deleteShard(shardId).join();
      }
    }
  }
}
