package io.inlet.cdc.sink;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Applies a sink's transactions on a thread of its own, one at a time and in the order they were
 * handed over, so that the sink's loop reads and decodes the next records while the database works
 * on the previous transaction. At most {@code capacity} transactions wait; {@link #submit} blocks
 * beyond that.
 *
 * <p>The first transaction that fails stops the thread: no later transaction is applied (and so no
 * later position is reported), and {@link #submit} and {@link #throwIfFailed} throw its failure, so
 * the sink's loop ends and the connector restarts from the stored positions. Closing lets the
 * transaction in progress finish and drops those still waiting, whose records are read again after
 * a restart (their positions were never reported).
 *
 * @param <T> what one transaction is
 */
final class TransactionPipeline<T> implements AutoCloseable {
  /** Applies one transaction, committing it, before it returns. */
  interface Applier<T> {
    void apply(T transaction) throws Exception;
  }

  private static final long POLL_MS = 100;

  private final BlockingQueue<T> waiting;
  private final Applier<T> applier;
  private final Thread thread;
  private volatile Throwable failure;
  private volatile boolean closed;

  TransactionPipeline(String connector, int capacity, Applier<T> applier) {
    this.waiting = new ArrayBlockingQueue<>(capacity);
    this.applier = applier;
    this.thread = new Thread(this::applyInOrder, "inlet-sink-writer-" + connector);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands a transaction to the writer thread, waiting while {@code capacity} are already waiting.
   *
   * @throws SinkWriteException when an earlier transaction failed (none is applied after it)
   */
  void submit(T transaction) throws InterruptedException {
    while (!waiting.offer(transaction, POLL_MS, TimeUnit.MILLISECONDS)) {
      throwIfFailed();
      if (closed) {
        throw new IllegalStateException("the sink's writer is closed");
      }
    }
    throwIfFailed();
  }

  /**
   * @throws SinkWriteException when a transaction failed
   */
  void throwIfFailed() {
    Throwable cause = failure;
    if (cause != null) {
      throw new SinkWriteException(cause);
    }
  }

  private void applyInOrder() {
    try {
      while (!closed) {
        T next = waiting.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (next != null && !closed) {
          applier.apply(next);
        }
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      waiting.clear();
    }
  }

  /**
   * Waits for the transaction in progress, drops the waiting ones and stops the thread. Idempotent.
   */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join();
  }

  /** A transaction the writer thread could not apply, as seen from the sink's loop. */
  static final class SinkWriteException extends RuntimeException {
    SinkWriteException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
