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
 * The shard readers of ReadShard: their settings live in the store (they survive a restart, and
 * then read again from where they were created, as HStreamDB's do); their positions live here.
 * Reads of one reader run one after another, without holding a thread while they wait for data.
 */
final class ShardReaders {
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

    Session(ReaderInfo info, ReadPosition start) {
      this.info = info;
      this.cursor = new ShardCursor(info.shardId(), start, ReadBound.NONE);
    }
  }

  /** Registers a new reader's position (its settings are already stored). */
  void opened(ReaderInfo info, ReadPosition start) {
    sessions.put(info.readerId(), new Session(info, start));
  }

  void deleted(String readerId) {
    sessions.remove(readerId);
  }

  /**
   * Up to {@code maxRecords} records in whole batches (at least one batch when any is available);
   * when none is, waits up to the reader's timeout for new ones. Fails with NOT_FOUND for an
   * unknown reader, UNAVAILABLE when the store closes.
   */
  CompletableFuture<List<ReceivedRecord>> read(String readerId, long maxRecords) {
    Session session = sessions.computeIfAbsent(readerId, this::load);
    if (session == null) {
      return CompletableFuture.failedFuture(notFound(readerId));
    }
    CompletableFuture<List<ReceivedRecord>> result;
    synchronized (session) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(session.info.timeoutMs());
      result =
          session
              .tail
              .handleAsync((ignored, f) -> null, executor)
              .thenCompose(ignored -> attempt(session, Math.max(1, maxRecords), deadline));
      session.tail = result;
    }
    return result;
  }

  private Session load(String readerId) {
    return store
        .readers()
        .get(readerId)
        .map(info -> new Session(info, ReadPosition.batch(info.startLsn())))
        .orElse(null);
  }

  private CompletableFuture<List<ReceivedRecord>> attempt(
      Session session, long maxRecords, long deadlineNanos) {
    List<ReceivedRecord> out = new ArrayList<>();
    for (ShardCursor.Slice slice :
        session.cursor.next(store.log(), (int) Math.min(maxRecords, 1000), maxRecords)) {
      out.add(Batches.slice(slice.batch(), slice.from(), slice.to()));
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
          return attempt(session, maxRecords, deadlineNanos);
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
