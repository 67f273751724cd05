package io.inlet.store.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A piece of work that must not interleave with appends, such as deleting a stream: the writer
 * commits the appends queued before it, runs it alone, then goes on.
 */
final class WriterTask implements WriterOp {
  final Callable<?> work;
  final CompletableFuture<Object> future = new CompletableFuture<>();

  WriterTask(Callable<?> work) {
    this.work = work;
  }

  void run() {
    try {
      future.complete(work.call());
    } catch (Throwable t) {
      future.completeExceptionally(t);
    }
  }
}
