package io.inlet.cdc.source;

import io.debezium.engine.DebeziumEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Takes durability waits and offset commits off Debezium's poll loop. {@link StreamChangeConsumer}
 * hands over each polled batch with the future of its appends and returns; this queue's own thread
 * waits for the batches to be durable, in poll order, and only then marks their records processed.
 * Offsets therefore never run ahead of the stream and stay monotonic (one thread, poll order).
 *
 * <p>This thread also decides when the marked offsets are committed ({@link
 * DebeziumEngine.RecordCommitter#markBatchFinished}, which the engine, given {@link
 * io.debezium.engine.spi.OffsetCommitPolicy#always()}, turns into a commit at once): with a zero
 * commit interval right after every run of batches that became durable together; otherwise once the
 * interval has passed since the previous commit, checked while the queue is idle too. A source that
 * goes quiet after its last batch (the end of a snapshot, no new changes) thus has that batch's
 * offset committed without waiting for the engine to poll again.
 *
 * <p>At most {@link #MAX_IN_FLIGHT_BATCHES} batches wait at once: {@link #submit} blocks beyond
 * that, which slows the poll loop to the store's pace. The first batch whose append fails stops the
 * queue: nothing of it or after it is marked, and the failure is handed to {@code onFailure} (the
 * run stops; the restarted connector reads those batches again).
 *
 * @param <R> Debezium's record type
 */
final class OffsetCommitQueue<R> implements AutoCloseable {
  /** Enough to overlap a few store group commits; each batch is at most {@code max.batch.size}. */
  static final int MAX_IN_FLIGHT_BATCHES = 8;

  /** How often an idle queue checks whether marked offsets are due for a commit. */
  private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final LinkedBlockingQueue<Pending<R>> pending = new LinkedBlockingQueue<>();
  private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT_BATCHES, true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Consumer<Throwable> onFailure;
  private final long commitIntervalNanos;
  private final Thread thread;
  private volatile boolean closed;
  // This queue's thread only: the committer of the last marked batch while its marks are not yet
  // committed, and when the last commit was made.
  private DebeziumEngine.RecordCommitter<R> uncommitted;
  private long lastCommitNanos;

  /**
   * @param commitInterval the least time between two offset commits; zero commits after every run
   *     of durable batches
   * @param onFailure called once, on this queue's thread, with the first append or offset-commit
   *     failure (not called for failures after {@link #close})
   */
  OffsetCommitQueue(String connector, Duration commitInterval, Consumer<Throwable> onFailure) {
    this.onFailure = onFailure;
    this.commitIntervalNanos = commitInterval.toNanos();
    this.lastCommitNanos = System.nanoTime() - commitIntervalNanos;
    this.thread = new Thread(this::run, "inlet-cdc-commit-" + connector);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues a polled batch. {@code onDurable} runs on this queue's thread once the batch is durable,
   * before its records are marked processed.
   *
   * @throws StreamChangeConsumer.StreamWriteException when an earlier batch failed
   * @throws InterruptedException when interrupted while {@link #MAX_IN_FLIGHT_BATCHES} wait
   */
  void submit(
      CompletableFuture<?> durable,
      List<R> events,
      DebeziumEngine.RecordCommitter<R> committer,
      Runnable onDurable)
      throws InterruptedException {
    while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      throwIfFailedOrClosed();
    }
    try {
      throwIfFailedOrClosed();
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    pending.add(new Pending<>(durable, events, committer, onDurable));
  }

  /**
   * Waits up to {@code timeout} until every batch queued so far is marked processed (or the queue
   * failed); with a commit interval, the engine's final commit on close commits what is marked.
   *
   * @return whether it got there in time
   */
  boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
    if (!slots.tryAcquire(MAX_IN_FLIGHT_BATCHES, timeout, unit)) {
      return false;
    }
    slots.release(MAX_IN_FLIGHT_BATCHES);
    return true;
  }

  /** Stops the thread; batches not yet committed stay uncommitted (read again after a restart). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void throwIfFailedOrClosed() {
    Throwable cause = failure.get();
    if (cause != null) {
      throw new StreamChangeConsumer.StreamWriteException(
          "an earlier batch failed: " + cause.getMessage(), cause);
    }
    if (closed) {
      throw new IllegalStateException("the connector's offset commit queue is closed");
    }
  }

  private void run() {
    try {
      while (!closed) {
        Pending<R> first = pending.poll(nanosUntilNextCheck(), TimeUnit.NANOSECONDS);
        if (first != null) {
          markProcessed(durableRun(first));
        } else {
          commitIfDue();
        }
      }
    } catch (InterruptedException e) {
      // close()
    } catch (ExecutionException e) {
      fail(e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** {@code first} once durable, and every batch after it that is already durable. */
  private List<Pending<R>> durableRun(Pending<R> first)
      throws InterruptedException, ExecutionException {
    first.durable().get();
    List<Pending<R>> run = new ArrayList<>();
    run.add(first);
    Pending<R> next;
    while ((next = pending.peek()) != null
        && next.durable().isDone()
        && !next.durable().isCompletedExceptionally()) {
      run.add(pending.poll());
    }
    return run;
  }

  private void markProcessed(List<Pending<R>> run) throws InterruptedException {
    try {
      for (Pending<R> batch : run) {
        batch.onDurable().run();
        for (R event : batch.events()) {
          batch.committer().markProcessed(event);
        }
        uncommitted = batch.committer();
      }
      commitIfDue();
    } finally {
      slots.release(run.size());
    }
  }

  /**
   * One offset commit for everything marked since the last: the committer is the task's, so
   * finishing the last marked batch flushes every offset marked before it.
   */
  private void commitIfDue() throws InterruptedException {
    if (uncommitted != null && System.nanoTime() - lastCommitNanos >= commitIntervalNanos) {
      DebeziumEngine.RecordCommitter<R> committer = uncommitted;
      uncommitted = null;
      lastCommitNanos = System.nanoTime();
      committer.markBatchFinished();
    }
  }

  private long nanosUntilNextCheck() {
    if (uncommitted == null) {
      return IDLE_CHECK_NANOS;
    }
    long due = lastCommitNanos + commitIntervalNanos - System.nanoTime();
    return Math.max(1, Math.min(IDLE_CHECK_NANOS, due));
  }

  private void fail(Throwable cause) {
    failure.compareAndSet(null, cause);
    slots.release(MAX_IN_FLIGHT_BATCHES);
    if (!closed) {
      onFailure.accept(cause);
    }
  }

  private record Pending<R>(
      CompletableFuture<?> durable,
      List<R> events,
      DebeziumEngine.RecordCommitter<R> committer,
      Runnable onDurable) {}
}
