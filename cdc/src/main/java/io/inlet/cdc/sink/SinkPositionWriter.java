package io.inlet.cdc.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stores a sink's positions off its write loop. The loop reports a shard's position once the
 * database has committed everything before it ({@link #committed}) and goes on with the next
 * transaction; this writer's thread stores the latest reported position of each shard, coalescing
 * the reports that arrive while the previous store is being fsync'd. A position is thus never
 * stored before the database commit it follows, and only ever moves forward; a crash loses at most
 * the positions not yet stored, whose records are written again (at-least-once, harmless for
 * upserts and deletes by key).
 */
final class SinkPositionWriter implements AutoCloseable {
  private final SinkPositions positions;
  private final ExecutorService writer;
  private final Map<Long, Long> pending = new HashMap<>(); // guarded by this
  private boolean scheduled; // guarded by this
  private volatile RuntimeException failure;

  SinkPositionWriter(SinkPositions positions, String connector) {
    this.positions = positions;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-sink-positions-" + connector);
              t.setDaemon(true);
              return t;
            });
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
      writer.execute(this::storePending);
    }
  }

  /** Stores what was reported and not stored yet, then stops the thread. Idempotent. */
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
