package io.inlet.server.concurrent;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.ShardLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The loop every tailing read shares (server-streaming reads, ReadStreamByKey, each shard of a
 * subscription): its owner pumps what the store has on its serial executor; when a shard has
 * nothing more, it calls {@link #await} instead of polling or parking a thread. One wake-up is
 * registered with {@link ShardLog#awaitBeyond} (and, for a read that ends at a time still to come,
 * with a timer); when it fires, the pump runs again on the same serial executor, or {@code
 * onFailure} gets the reason the wake-up failed (the store is closing).
 *
 * <p>At most one wake-up is outstanding: {@link #waiting()} is true meanwhile, and the owner's pump
 * does nothing then. Call {@link #await} and {@link #waiting()} only on the serial executor.
 */
public final class TailingReader {
  /** A shard to watch: the wake-up comes once it has a batch past {@code lastSeenLsn}. */
  public record Position(long shardId, long lastSeenLsn) {}

  private final ShardLog log;
  private final Executor serial;
  private final ScheduledExecutorService timer;
  private final Runnable pump;
  private final Consumer<Throwable> onFailure;
  private boolean waiting;

  /**
   * @param serial the owner's serial executor: the pump and {@code onFailure} run on it
   * @param timer for wake-ups at a time ({@link #await(Iterable, long)}); null when there are none
   * @param pump the owner's pump, run after a wake-up
   * @param onFailure the owner's ending, run when the wake-up fails
   */
  public TailingReader(
      ShardLog log,
      Executor serial,
      ScheduledExecutorService timer,
      Runnable pump,
      Consumer<Throwable> onFailure) {
    this.log = log;
    this.serial = serial;
    this.timer = timer;
    this.pump = pump;
    this.onFailure = onFailure;
  }

  /** A wake-up is registered and has not fired yet. */
  public boolean waiting() {
    return waiting;
  }

  /** Wakes the owner once {@code shardId} has a batch past {@code lastSeenLsn}. */
  public void await(long shardId, long lastSeenLsn) {
    if (waiting) {
      return;
    }
    waiting = true;
    wakeOn(log.awaitBeyond(shardId, lastSeenLsn));
  }

  /**
   * Wakes the owner once any of the shards has a new batch or, when {@code wakeAtMs} is not
   * negative, once that wall-clock time (ms since the epoch) has passed.
   */
  public void await(Iterable<Position> shards, long wakeAtMs) {
    if (waiting) {
      return;
    }
    waiting = true;
    List<CompletableFuture<Void>> wakers = new ArrayList<>();
    for (Position p : shards) {
      wakers.add(log.awaitBeyond(p.shardId(), p.lastSeenLsn()));
    }
    CompletableFuture<Object> any =
        CompletableFuture.anyOf(wakers.toArray(CompletableFuture[]::new));
    if (wakeAtMs >= 0) {
      long delay = Math.max(1, wakeAtMs + 1 - System.currentTimeMillis());
      try {
        timer.schedule(() -> any.complete(null), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        any.completeExceptionally(new StoreUnavailableException("the server is shutting down"));
      }
    }
    wakeOn(any);
  }

  private void wakeOn(CompletableFuture<?> wakeUp) {
    wakeUp.whenComplete(
        (ignored, failure) ->
            serial.execute(
                () -> {
                  waiting = false;
                  if (failure != null) {
                    onFailure.accept(failure);
                  } else {
                    pump.run();
                  }
                }));
  }
}
