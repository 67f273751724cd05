package io.inlet.store.internal;

import io.inlet.api.append.AppendResult;
import io.inlet.store.Entry;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The shard log on RocksDB. Appends go through the {@link GroupCommitWriter}; reads, searches and
 * trims run on the caller's thread.
 *
 * <p>Operations naming an unknown shard fail with {@link StoreException} {@code SHARD_NOT_FOUND}.
 * Every method that reads or trims throws {@link io.inlet.api.error.StoreUnavailableException} once
 * the store is closed.
 */
public final class RocksShardLog implements ShardLog {
  private final ShardRegistry registry;
  private final RocksStreamCatalog streams;
  private final GroupCommitWriter writer;
  private final BatchReads reads;
  private final ShardTrimmer trimmer;
  private final StoreGate gate;

  RocksShardLog(
      ShardRegistry registry,
      RocksStreamCatalog streams,
      GroupCommitWriter writer,
      BatchReads reads,
      ShardTrimmer trimmer,
      StoreGate gate) {
    this.registry = registry;
    this.streams = streams;
    this.writer = writer;
    this.reads = reads;
    this.trimmer = trimmer;
    this.gate = gate;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with {@link StoreException} {@code STREAM_NOT_FOUND} for an unknown stream, {@code
   * SHARD_NOT_IN_STREAM} for a shard not in it; with StoreUnavailableException when the store is
   * closing, overloaded or the write fails.
   */
  @Override
  public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
    try {
      ShardState shard = registry.forAppend(streams, streamName, shardId);
      return writer.submit(new PendingAppend(shard, entry, 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Appends an entry at an LSN chosen elsewhere, e.g. an entry a replication group has committed.
   * Idempotent: an LSN the shard already holds (or has queued) completes with that LSN without
   * writing again; the next LSN is written; a later one fails with {@code InternalError} since it
   * would leave a gap ({@link StoreException} {@code LSN_REJECTED}). Completes once durable, as
   * {@link #append} does.
   */
  public CompletableFuture<AppendResult> appendAt(long shardId, long lsn, Entry entry) {
    try {
      if (lsn < 1) {
        throw new StoreException(StoreException.Reason.LSN_REJECTED, "LSNs start at 1, not " + lsn);
      }
      ShardState shard = registry.require(shardId);
      return writer.submit(new PendingAppend(shard, entry, lsn));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
    return gate.call(() -> reads.read(registry.require(shardId), fromLsn, maxBatches));
  }

  @Override
  public ShardPosition position(long shardId) {
    return registry.require(shardId).position();
  }

  /**
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public long lsnAtOrAfter(long shardId, long timestampMs) {
    return gate.call(() -> reads.lsnAtOrAfter(registry.require(shardId), timestampMs));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with StoreException SHARD_NOT_FOUND for an unknown shard or when its stream is deleted
   * while waiting. The future completes on the store's ack thread: chain heavy work with an
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
    CompletableFuture<Void> waiter = shard.awaitBeyond(lsn);
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
   * <p>An LSN beyond the last durable one trims up to it.
   *
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  @Override
  public void trimBefore(long shardId, long lsn) {
    gate.run(() -> trimmer.trimBefore(registry.require(shardId), lsn));
  }
}
