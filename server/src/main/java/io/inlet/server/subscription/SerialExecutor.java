package io.inlet.server.subscription;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the "lane" that confines one
 * subscription's delivery state to a single thread at a time without dedicating a thread to it.
 * Tasks submitted after the pool shut down are dropped.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  /** Tasks run per turn before the lane yields its pool thread to other lanes. */
  private static final int TASKS_PER_TURN = 64;

  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        tasks.clear();
        scheduled.set(false);
      }
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < TASKS_PER_TURN; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.error("subscription task failed", e);
        }
      }
    } finally {
      scheduled.set(false);
      // A task may have been added after the last poll but before the flag was cleared.
      if (!tasks.isEmpty()) {
        schedule();
      }
    }
  }
}
