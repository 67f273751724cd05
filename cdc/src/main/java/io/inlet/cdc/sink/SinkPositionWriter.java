package io.inlet.cdc.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stores a sink's positions off its write loop. The loop reports a shard's position once the
 * database has committed everything before it ({@link #committed}) and goes on with the next
 * transaction; this writer's thread stores the latest reported position of each shard at most once
 * per {@code interval}, coalescing the reports in between into one fsync. A position is thus never
 * stored before the database commit it follows, and only ever moves forward; a crash loses at most
 * the positions not yet stored (about one interval's), whose records are written again
 * (at-least-once, harmless for upserts and deletes by key). Closing stores what is pending.
 *
 * <p>Why not an fsync per transaction: the database's commit fsyncs too, usually on the same disk,
 * and a position store per transaction put a second fsync beside each of them (plain JDBC batches
 * into PostgreSQL ran 15% slower with synced writes beside them: docs/benchmarks.md, run M).
 */
final class SinkPositionWriter implements AutoCloseable {
  private final SinkPositions positions;
  private final long intervalNanos;
  private final ScheduledThreadPoolExecutor writer;
  private final Map<Long, Long> pending = new HashMap<>(); // guarded by this
  private boolean scheduled; // guarded by this
  private long lastStoreNanos; // guarded by this
  private volatile RuntimeException failure;

  SinkPositionWriter(SinkPositions positions, String connector, long intervalMs) {
    this.positions = positions;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.lastStoreNanos = System.nanoTime() - intervalNanos;
    this.writer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "inlet-sink-positions-" + connector);
              t.setDaemon(true);
              return t;
            });
    // close() stores what is pending itself instead of waiting for the next interval
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Records that the database committed every record of {@code shard} before {@code next}.
   *
   * @throws IllegalStateException when an earlier position could not be stored
   */
  synchronized void committed(long shard, long next) {
    throwIfFailed();
    pending.merge(shard, next, Math::max);
    if (!scheduled) {
      scheduled = true;
      long wait = Math.max(0, lastStoreNanos + intervalNanos - System.nanoTime());
      writer.schedule(this::storePending, wait, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Stores what was reported and not stored yet (without waiting for the interval), then stops the
   * thread. Idempotent.
   */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure == null) {
      storePending();
    }
  }

  private void storePending() {
    Map<Long, Long> batch;
    synchronized (this) {
      scheduled = false;
      lastStoreNanos = System.nanoTime();
      if (pending.isEmpty()) {
        return;
      }
      batch = new HashMap<>(pending);
      pending.clear();
    }
    try {
      positions.store(batch);
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void throwIfFailed() {
    RuntimeException cause = failure;
    if (cause != null) {
      throw new IllegalStateException(
          "cannot store the sink's position: " + cause.getMessage(), cause);
    }
  }
}
