package io.inlet.store.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tailing readers of one shard waiting for a batch beyond an LSN. Waiters that finished on their
 * own (timed out, cancelled) are dropped when the next one arrives, so an idle shard polled forever
 * does not collect them.
 */
final class ShardWaiters {
  private final List<Waiter> waiting = new ArrayList<>();

  private record Waiter(long beyondLsn, CompletableFuture<Void> future) {}

  synchronized CompletableFuture<Void> add(long beyondLsn) {
    waiting.removeIf(w -> w.future.isDone());
    CompletableFuture<Void> future = new CompletableFuture<>();
    waiting.add(new Waiter(beyondLsn, future));
    return future;
  }

  /** Completes every waiter whose LSN is below {@code durableLsn}. */
  void wake(long durableLsn) {
    List<CompletableFuture<Void>> ready = null;
    synchronized (this) {
      for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.beyondLsn < durableLsn) {
          it.remove();
          if (ready == null) {
            ready = new ArrayList<>();
          }
          ready.add(w.future);
        }
      }
    }
    // Complete outside the lock: dependents run here and may register new waiters.
    if (ready != null) {
      ready.forEach(f -> f.complete(null));
    }
  }

  /** Fails every waiter, e.g. when the store closes or the stream is deleted. */
  void failAll(RuntimeException cause) {
    List<Waiter> all;
    synchronized (this) {
      all = new ArrayList<>(waiting);
      waiting.clear();
    }
    all.forEach(w -> w.future.completeExceptionally(cause));
  }

  synchronized int size() {
    return waiting.size();
  }
}
