package io.inlet.server.grpc;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.store.ReaderInfo;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * each ReadShard call that hands out batches saves where the reader reads next (one small durable
 * write per call), so after a restart a reader goes on where it was, as HStreamDB's do. Reads of
 * one reader run one after another, without holding a thread while they wait for data.
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
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ShardReaders(StreamStore store, Executor executor, ScheduledExecutorService timer) {
    this.store = store;
    this.executor = executor;
    this.timer = timer;
  }

  private static final class Session {
    final ReaderInfo info;
    final ShardCursor cursor;
    CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    Session(ReaderInfo info) {
      this.info = info;
      this.cursor =
          new ShardCursor(
              info.shardId(), new RecordPosition(info.nextLsn(), info.nextIndex()), ReadBound.NONE);
    }
  }

  /** Registers a new reader (its settings and start are already stored). */
  void opened(ReaderInfo info) {
    sessions.put(info.readerId(), new Session(info));
  }

  void deleted(String readerId) {
    sessions.remove(readerId);
  }

  /**
   * Up to {@code maxBatches} whole batches (at least one when any is available); when none is,
   * waits up to the reader's timeout for new ones. Fails with NOT_FOUND for an unknown reader,
   * UNAVAILABLE when the store closes.
   */
  CompletableFuture<List<ReceivedRecord>> read(String readerId, long maxBatches) {
    Session session = sessions.computeIfAbsent(readerId, this::load);
    if (session == null) {
      return CompletableFuture.failedFuture(notFound(readerId));
    }
    int batches = (int) Math.max(1, Math.min(maxBatches, MAX_BATCHES_PER_READ));
    CompletableFuture<List<ReceivedRecord>> result;
    synchronized (session) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(session.info.timeoutMs());
      result =
          session
              .tail
              .handleAsync((ignored, f) -> null, executor)
              .thenCompose(ignored -> attempt(session, batches, deadline));
      session.tail = result;
    }
    return result;
  }

  private Session load(String readerId) {
    return store.readers().get(readerId).map(Session::new).orElse(null);
  }

  private CompletableFuture<List<ReceivedRecord>> attempt(
      Session session, int maxBatches, long deadlineNanos) {
    List<ReceivedRecord> out = new ArrayList<>();
    for (ShardCursor.Slice slice : session.cursor.next(store.log(), maxBatches, Long.MAX_VALUE)) {
      out.add(Batches.slice(slice.batch(), slice.from(), slice.to()));
    }
    if (!out.isEmpty()) {
      RecordPosition next = session.cursor.position();
      try {
        store.readers().savePosition(session.info.readerId(), next.lsn(), next.index());
      } catch (RuntimeException e) {
        // Not saved, not handed out: the next read starts again from the saved position.
        sessions.remove(session.info.readerId(), session);
        throw e;
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
        .awaitBeyond(session.cursor.shardId(), session.cursor.lastSeenLsn())
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
          return attempt(session, maxBatches, deadlineNanos);
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
