package io.inlet.store.internal;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.StoreOptions;
import io.inlet.store.commit.AckDispatch;
import io.inlet.store.commit.CommitDelay;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.metrics.StoreMetrics.FailureReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of batches (durable group commit). Callers enqueue without blocking; the {@code
 * inlet-store-writer} thread drains everything queued, gives each append the next LSN of its shard,
 * writes the lot in one RocksDB write batch with one fsync, and only then marks the LSNs durable.
 * Acks and reader wake-ups run on the {@code inlet-store-acks} thread so that callbacks never delay
 * the next fsync, except when the writer has nothing else to do ({@link AckDispatch}). No lock is
 * held while syncing.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** How often the writer tries to reopen RocksDB after a failed write. */
  private static final long REOPEN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LinkedBlockingQueue<WriterOp> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AckDispatch acks;
  private final CommitGroup group;
  private final StoreDatabase database;
  private final LsnFloors floors;
  private final StoreGate gate;
  private final StoreMetrics metrics;

  /** Appends refused beyond this many queued bytes, so a slow disk cannot exhaust the heap. */
  private final long maxQueuedBytes;

  private final int maxOpsPerGroup;
  private final Thread thread;
  private final CommitDelay commitDelay;
  private final BooleanSupplier closingCheck = () -> this.closing;
  private volatile boolean closing;
  private long nextReopenNanos = System.nanoTime();
  private boolean waitingForRoom;

  GroupCommitWriter(
      StoreDatabase database,
      LsnFloors floors,
      StoreGate gate,
      StoreMetrics metrics,
      StoreOptions.GroupCommit limits) {
    this.database = database;
    this.floors = floors;
    this.gate = gate;
    this.metrics = metrics;
    this.maxQueuedBytes = limits.maxQueuedBytes();
    this.maxOpsPerGroup = limits.maxGroupOps();
    acks = new AckDispatch(limits.ackThreads(), "inlet-store-acks");
    group = new CommitGroup(database, floors, metrics, limits.maxGroupBytes());
    thread = named(this::run, "inlet-store-writer");
    // Without an fsync there is nothing for a delay to share.
    commitDelay =
        new CommitDelay(
            database.syncsAppends() ? limits.commitDelay().toNanos() : 0,
            thread,
            metrics::commitDelayed);
    thread.start();
  }

  private static Thread named(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Queues an append; the future completes once it is durable or fails. Never blocks. */
  CompletableFuture<AppendResult> submit(PendingAppend append) {
    if (closing) {
      metrics.appendFailed(append.shard.streamName, FailureReason.CLOSING);
      append.future.completeExceptionally(StoreErrors.closing());
      return append.future;
    }
    long queued = queuedBytes.addAndGet(append.valueLength);
    if (queued > maxQueuedBytes && queued != append.valueLength) {
      queuedBytes.addAndGet(-append.valueLength);
      metrics.appendFailed(append.shard.streamName, FailureReason.OVERLOADED);
      append.future.completeExceptionally(
          new StoreUnavailableException(
              "store is overloaded: more than "
                  + (maxQueuedBytes >> 20)
                  + " MiB of appends wait for the disk; retry later"));
      return append.future;
    }
    enqueue(append);
    if (!append.future.isDone() && closing && queue.remove(append)) {
      queuedBytes.addAndGet(-append.valueLength);
      metrics.appendFailed(append.shard.streamName, FailureReason.CLOSING);
      append.future.completeExceptionally(StoreErrors.closing());
    }
    return append.future;
  }

  /**
   * Drops deleted shards from the store marker; writer thread only (in a {@link #runExclusive}
   * task).
   */
  void forgetShards(java.util.Collection<Long> shardIds) {
    floors.forget(shardIds);
  }

  /** Bytes of appends queued for the writer. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /**
   * Runs {@code work} on the writer thread, after the appends queued before it are committed and
   * before any queued after it. Called on the writer thread itself (from an ack the writer runs,
   * between groups), it runs {@code work} at once.
   */
  <T> T runExclusive(Callable<T> work) {
    if (closing) {
      throw StoreErrors.closing();
    }
    WriterTask task = new WriterTask(work);
    if (Thread.currentThread() == thread) {
      task.run();
      return result(task);
    }
    enqueue(task);
    if (closing && queue.remove(task)) {
      throw StoreErrors.closing();
    }
    return result(task);
  }

  private static <T> T result(WriterTask task) {
    try {
      @SuppressWarnings("unchecked")
      T result = (T) task.future.join();
      return result;
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void enqueue(WriterOp op) {
    queue.add(op);
    commitDelay.queued(queue.size());
  }

  private void run() {
    List<WriterOp> drained = new ArrayList<>(Math.min(maxOpsPerGroup, 4096));
    while (!(closing && queue.isEmpty())) {
      try {
        WriterOp first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          if (first instanceof PendingAppend append) {
            commitDelay.await(append.submittedNanos, queue::size, closingCheck);
          }
          drained.add(first);
          queue.drainTo(drained, maxOpsPerGroup - 1);
        }
        reopenIfFailed();
        process(drained);
        floors.persistIfDue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll(drained, StoreErrors.closed());
        break;
      } catch (Throwable t) {
        // The writer must outlive any surprise: losing it would hang every future append.
        log.error("store writer failed a group; continuing", t);
      } finally {
        drained.clear();
      }
    }
    failQueued(StoreErrors.closed());
  }

  /**
   * After a failed write RocksDB refuses all writes until reopened: try that, at most once a
   * second, while no reader holds the handles. Until it works, writes keep failing with the cause.
   */
  private void reopenIfFailed() throws InterruptedException {
    if (!database.needsReopen() || System.nanoTime() < nextReopenNanos) {
      return;
    }
    nextReopenNanos = System.nanoTime() + REOPEN_BACKOFF_NANOS;
    StoreDatabase.Room room = database.room();
    if (!room.enough()) {
      if (!waitingForRoom) {
        waitingForRoom = true;
        log.warn(
            "store in {} refuses writes after: {}; {}",
            database.dir(),
            database.writeFailure().getMessage(),
            room.resumeCondition());
      }
      return;
    }
    if (waitingForRoom) {
      log.info(
          "store in {}: the file system has room again ({} MiB free); reopening",
          database.dir(),
          room.free() >> 20);
    }
    waitingForRoom = false;
    try {
      if (gate.exclusive(1, TimeUnit.SECONDS, database::reopen)) {
        log.info("store in {} reopened after a failed write; writes resume", database.dir());
      }
    } catch (StoreUnavailableException e) {
      log.warn("{}; retrying in 1 s", e.getMessage());
    }
  }

  private void process(List<WriterOp> ops) {
    long now = System.currentTimeMillis();
    int appends = 0;
    for (WriterOp op : ops) {
      if (op instanceof WriterTask task) {
        handOff(group.commit());
        task.run();
        now = System.currentTimeMillis();
      } else {
        PendingAppend append = (PendingAppend) op;
        appends++;
        queuedBytes.addAndGet(-append.valueLength);
        try {
          group.add(append, now);
        } catch (RuntimeException e) {
          metrics.appendFailed(append.shard.streamName, FailureReason.WRITE_FAILED);
          append.future.completeExceptionally(
              new StoreUnavailableException("append failed: " + e, e));
        }
        if (group.isFull()) {
          handOff(group.commit());
        }
      }
    }
    commitDelay.passTook(appends);
    Runnable last = group.commit();
    if (last != null) {
      acks.dispatch(last, queue.isEmpty());
    }
  }

  private void handOff(Runnable groupAcks) {
    if (groupAcks != null) {
      acks.handOff(groupAcks);
    }
  }

  private void failQueued(StoreUnavailableException cause) {
    List<WriterOp> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, cause);
  }

  private void failAll(List<WriterOp> ops, StoreUnavailableException cause) {
    for (WriterOp op : ops) {
      if (op instanceof PendingAppend append) {
        metrics.appendFailed(append.shard.streamName, FailureReason.CLOSING);
        append.future.completeExceptionally(cause);
      } else if (op instanceof WriterTask task) {
        task.future.completeExceptionally(cause);
      }
    }
  }

  /**
   * Stops taking work, commits what was queued, delivers its acks, then returns. Idempotent.
   *
   * @return false when the writer thread is still running (stuck in RocksDB): then the database
   *     must not be closed under it
   */
  boolean stop() {
    closing = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        log.warn("store writer did not finish within 30 s; leaving it");
        return false;
      }
      if (!acks.shutdown(30, TimeUnit.SECONDS)) {
        log.warn("store acks did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    group.close();
    return true;
  }

  @Override
  public void close() {
    stop();
  }
}
