package io.inlet.store.commit;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the acks of a durable group run (completing its futures, waking its readers). A lone group
 * whose writer has nothing else to do is acked on the writer thread itself: that saves a thread
 * hand-off (a wake-up and a context switch) per append at a moderate rate, where each group holds
 * one or two appends. When more work waits, or earlier acks are still running, the acks go to the
 * ack threads so that callbacks never delay the next fsync. Shared by the store's RocksDB writer
 * and the segment log's flusher.
 *
 * <p>Order: with one ack thread the groups' acks complete in commit order either way; an inline ack
 * runs only when every earlier group's acks have finished.
 */
public final class AckDispatch {
  private final ThreadPoolExecutor threads;

  /** Ack tasks handed to the threads and not yet finished. */
  private final AtomicInteger handedOff = new AtomicInteger();

  /**
   * @param ackThreads how many ack threads; with more than one, consecutive groups' acks may
   *     complete in either order
   * @param threadName the ack threads' name
   */
  public AckDispatch(int ackThreads, String threadName) {
    threads =
        new ThreadPoolExecutor(
            ackThreads,
            ackThreads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code acks} now, on the calling writer thread, when {@code writerIdle} and no earlier ack
   * is still running; else on the ack threads.
   */
  public void dispatch(Runnable acks, boolean writerIdle) {
    if (writerIdle && handedOff.get() == 0) {
      acks.run();
      return;
    }
    handOff(acks);
  }

  /** Runs {@code acks} on the ack threads. */
  public void handOff(Runnable acks) {
    handedOff.incrementAndGet();
    try {
      threads.execute(
          () -> {
            try {
              acks.run();
            } finally {
              handedOff.decrementAndGet();
            }
          });
    } catch (RuntimeException e) {
      handedOff.decrementAndGet();
      throw e;
    }
  }

  /** Lets the acks already handed off finish. @return false when they did not within the time */
  public boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
    threads.shutdown();
    return threads.awaitTermination(timeout, unit);
  }
}
