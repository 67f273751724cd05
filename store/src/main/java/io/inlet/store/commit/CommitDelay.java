package io.inlet.store.internal;

import io.inlet.store.StoreOptions;
import io.inlet.store.metrics.StoreMetrics;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The adaptive commit delay of {@link GroupCommitWriter}: an append that finds the writer idle
 * waits, up to the delay from its submission, until as many others are queued as the writer's last
 * pass took besides its first (at most {@link StoreOptions.GroupCommit#COMMIT_DELAY_GROUP_TARGET}
 * in all). At a moderate rate from many clients each fsync then covers several appends instead of
 * one or two, and one round of wake-ups acknowledges them. After a pass of one append (a client
 * that appends one at a time, or a quiet spell) there is no one to wait for and nobody waits; the
 * submitter that completes the expected count wakes the writer at once, so clients in lockstep do
 * not wait the whole delay either.
 */
final class CommitDelay {
  private final long delayNanos;
  private final Thread writer;
  private final StoreMetrics metrics;

  /** Appends the writer's last pass took; writer thread only. */
  private int lastPassAppends;

  /**
   * While the writer sleeps out a delay: the queue length at which the submitter that reaches it
   * wakes the writer; 0 otherwise.
   */
  private final AtomicInteger wakeAtQueued = new AtomicInteger();

  /**
   * @param delayNanos the longest wait, 0 for none
   * @param writer the thread that waits
   */
  CommitDelay(long delayNanos, Thread writer, StoreMetrics metrics) {
    this.delayNanos = delayNanos;
    this.writer = writer;
    this.metrics = metrics;
  }

  /** A submitter queued an operation, leaving {@code queued} in the writer's queue. */
  void queued(int queued) {
    int wakeAt = wakeAtQueued.get();
    if (wakeAt > 0 && queued >= wakeAt && wakeAtQueued.compareAndSet(wakeAt, 0)) {
      LockSupport.unpark(writer);
    }
  }

  /** The writer's pass took {@code appends} appends (and any other operations). */
  void passTook(int appends) {
    if (appends > 0) {
      lastPassAppends = appends;
    }
  }

  /** On the writer, before it drains {@code queue} behind {@code first}: waits as described. */
  void await(WriterOp first, Queue<WriterOp> queue, BooleanSupplier closing) {
    int others = Math.min(lastPassAppends, StoreOptions.GroupCommit.COMMIT_DELAY_GROUP_TARGET) - 1;
    if (delayNanos == 0
        || others <= 0
        || !(first instanceof PendingAppend append)
        || queue.size() >= others
        || closing.getAsBoolean()) {
      return;
    }
    long start = System.nanoTime();
    long deadline = append.submittedNanos + delayNanos;
    if (deadline - start <= 0) {
      return; // it has waited its delay in the queue already
    }
    wakeAtQueued.set(others);
    try {
      long left;
      while (queue.size() < others
          && (left = deadline - System.nanoTime()) > 0
          && !closing.getAsBoolean()) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      wakeAtQueued.set(0);
    }
    metrics.commitDelayed(System.nanoTime() - start);
  }
}
