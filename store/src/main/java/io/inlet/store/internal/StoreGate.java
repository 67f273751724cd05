package io.inlet.store.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps RocksDB open while callers use it: every read or metadata write passes through {@link
 * #call}, and {@link #closeAndWait} waits for those in progress before the native handles go. Using
 * a closed RocksDB handle would crash the JVM, so after close calls fail with "store is closed".
 */
final class StoreGate {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  <T> T call(Supplier<T> work) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw StoreErrors.closed();
      }
      return work.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  void run(Runnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Runs {@code work} while no call is in progress, e.g. to reopen RocksDB.
   *
   * @return false (and runs nothing) when calls did not finish within the timeout or the gate is
   *     closed
   */
  boolean exclusive(long timeout, TimeUnit unit, Runnable work) throws InterruptedException {
    if (closed || !lock.writeLock().tryLock(timeout, unit)) {
      return false;
    }
    try {
      if (closed) {
        return false;
      }
      work.run();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Refuses new calls, then waits for running ones.
   *
   * @return false when calls were still running after the timeout
   */
  boolean closeAndWait(long timeout, TimeUnit unit) throws InterruptedException {
    closed = true;
    if (lock.writeLock().tryLock(timeout, unit)) {
      lock.writeLock().unlock();
      return true;
    }
    return false;
  }
}
