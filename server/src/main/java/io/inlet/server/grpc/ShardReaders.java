package io.inlet.server.grpc;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.store.ReaderInfo;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shard readers of ReadShard. Their settings and positions live in the store's reader catalog:
 * each ReadShard call starts where the catalog says, and one that hands out batches saves where the
 * reader reads next (one small durable write per call), so after a restart a reader goes on where
 * it was, as HStreamDB's do. Reads of one reader run one after another, without holding a thread
 * while they wait for data.
 *
 * <p>As in HStreamDB, {@code maxRecords} counts stored entries (batches, one per Append), not
 * records: a read returns up to that many whole batches ({@link #MAX_BATCHES_PER_READ} at most).
 */
final class ShardReaders {
  /**
   * The most batches one ReadShard returns, whatever {@code maxRecords} asks: bounds a response.
   */
  static final int MAX_BATCHES_PER_READ = 1000;

  private final StreamStore store;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ShardReaders(StreamStore store, Executor executor, ScheduledExecutorService timer) {
    this.store = store;
    this.executor = executor;
    this.timer = timer;
  }

  /** One reader's ReadShard calls on this node, run one after another. */
  private static final class Lane {
    CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  }

  void deleted(String readerId) {
    lanes.remove(readerId);
  }

  /**
   * Up to {@code maxBatches} whole batches (at least one when any is available); when none is,
   * waits up to the reader's timeout for new ones. Each call starts where the catalog says the
   * reader reads next, so a read through another node (in a cluster) or a delete is seen at once.
   * Fails with NOT_FOUND for an unknown reader, UNAVAILABLE when the store closes.
   */
  CompletableFuture<List<ReceivedRecord>> read(String readerId, long maxBatches) {
    int batches = (int) Math.max(1, Math.min(maxBatches, MAX_BATCHES_PER_READ));
    Lane lane = lanes.computeIfAbsent(readerId, id -> new Lane());
    CompletableFuture<List<ReceivedRecord>> result;
    synchronized (lane) {
      result =
          lane.tail
              .handleAsync((ignored, f) -> null, executor)
              .thenCompose(ignored -> start(readerId, batches));
      lane.tail = result;
    }
    return result;
  }

  private CompletableFuture<List<ReceivedRecord>> start(String readerId, int maxBatches) {
    Optional<ReaderInfo> found = store.readers().get(readerId);
    if (found.isEmpty()) {
      lanes.remove(readerId);
      return CompletableFuture.failedFuture(notFound(readerId));
    }
    ReaderInfo reader = found.get();
    ShardCursor cursor =
        new ShardCursor(
            reader.shardId(),
            new RecordPosition(reader.nextLsn(), reader.nextIndex()),
            ReadBound.NONE);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reader.timeoutMs());
    return attempt(readerId, cursor, maxBatches, deadline);
  }

  private CompletableFuture<List<ReceivedRecord>> attempt(
      String readerId, ShardCursor cursor, int maxBatches, long deadlineNanos) {
    List<ReceivedRecord> out = new ArrayList<>();
    for (ShardCursor.Slice slice : cursor.next(store.log(), maxBatches, Long.MAX_VALUE)) {
      out.add(Batches.slice(slice.batch(), slice.from(), slice.to()));
    }
    // Not saved, not handed out: the next read starts again from the saved position.
    if (!out.isEmpty()) {
      RecordPosition next = cursor.position();
      if (!store.readers().savePosition(readerId, next.lsn(), next.index())) {
        throw notFound(readerId); // deleted meanwhile
      }
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (!out.isEmpty() || remaining <= 0) {
      return CompletableFuture.completedFuture(out);
    }
    CompletableFuture<Void> woken = new CompletableFuture<>();
    waiting.add(woken);
    woken.whenComplete((v, f) -> waiting.remove(woken));
    if (closed) {
      woken.completeExceptionally(new StoreUnavailableException("the server is shutting down"));
    }
    store
        .log()
        .awaitBeyond(cursor.shardId(), cursor.lastSeenLsn())
        .whenComplete(
            (v, f) -> {
              if (f != null) {
                woken.completeExceptionally(f);
              } else {
                woken.complete(null);
              }
            });
    ScheduledFuture<?> timeout;
    try {
      timeout = timer.schedule(() -> woken.complete(null), remaining, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      woken.completeExceptionally(new StoreUnavailableException("the server is shutting down"));
      return woken.thenApply(v -> out);
    }
    return woken.thenComposeAsync(
        v -> {
          timeout.cancel(false);
          return attempt(readerId, cursor, maxBatches, deadlineNanos);
        },
        executor);
  }

  /** Fails every ReadShard waiting for data (UNAVAILABLE): the server is shutting down. */
  void close() {
    closed = true;
    for (CompletableFuture<Void> w : waiting) {
      w.completeExceptionally(new StoreUnavailableException("the server is shutting down"));
    }
  }

  static RuntimeException notFound(String readerId) {
    return GrpcErrors.notFound(
        ErrorCode.ShardReaderInvalidObjectIdentifier,
        "shard reader \"" + readerId + "\" not found");
  }
}
