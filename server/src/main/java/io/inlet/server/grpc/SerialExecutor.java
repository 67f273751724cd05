package io.inlet.server.grpc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the state of one streaming
 * call is confined to it without a thread of its own.
 */
final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (pending.getAndIncrement() == 0) {
      delegate.execute(this::drain);
    }
  }

  private void drain() {
    do {
      Runnable task = tasks.poll();
      try {
        task.run();
      } catch (RuntimeException e) {
        GrpcErrors.toStatus(e); // logs the unexpected failure once
      }
    } while (pending.decrementAndGet() > 0);
  }
}
