package io.inlet.store.commit;

import io.inlet.store.StoreOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * The adaptive commit delay of a single-writer group commit (the RocksDB store's writer and the
 * segment log's): an append that finds the writer idle waits, up to the delay from its submission,
 * until as many others are queued as the writer's last pass took besides its first (at most {@link
 * StoreOptions.GroupCommit#COMMIT_DELAY_GROUP_TARGET} in all). At a moderate rate from many clients
 * each fsync then covers several appends instead of one or two, and one round of wake-ups
 * acknowledges them. After a pass of one append (a client that appends one at a time, or a quiet
 * spell) there is no one to wait for and nobody waits; the submitter that completes the expected
 * count wakes the writer at once, so clients in lockstep do not wait the whole delay either.
 */
public final class CommitDelay {
  private final long delayNanos;
  private final Thread writer;
  private final LongConsumer delayed;

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
   * @param delayed told each wait's length in nanoseconds (a metric)
   */
  public CommitDelay(long delayNanos, Thread writer, LongConsumer delayed) {
    this.delayNanos = delayNanos;
    this.writer = writer;
    this.delayed = delayed;
  }

  /** A submitter queued an operation, leaving {@code queued} in the writer's queue. */
  public void queued(int queued) {
    int wakeAt = wakeAtQueued.get();
    if (wakeAt > 0 && queued >= wakeAt && wakeAtQueued.compareAndSet(wakeAt, 0)) {
      LockSupport.unpark(writer);
    }
  }

  /** The writer's pass took {@code appends} appends (and any other operations). */
  public void passTook(int appends) {
    if (appends > 0) {
      lastPassAppends = appends;
    }
  }

  /**
   * On the writer, when it took an append submitted at {@code submittedNanos} ({@link
   * System#nanoTime()}) and before it drains what is {@code queued} behind it: waits as described.
   */
  public void await(long submittedNanos, IntSupplier queued, BooleanSupplier closing) {
    int others = Math.min(lastPassAppends, StoreOptions.GroupCommit.COMMIT_DELAY_GROUP_TARGET) - 1;
    if (delayNanos == 0 || others <= 0 || queued.getAsInt() >= others || closing.getAsBoolean()) {
      return;
    }
    long start = System.nanoTime();
    long deadline = submittedNanos + delayNanos;
    if (deadline - start <= 0) {
      return; // it has waited its delay in the queue already
    }
    wakeAtQueued.set(others);
    try {
      long left;
      while (queued.getAsInt() < others
          && (left = deadline - System.nanoTime()) > 0
          && !closing.getAsBoolean()) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      wakeAtQueued.set(0);
    }
    delayed.accept(System.nanoTime() - start);
  }
}
