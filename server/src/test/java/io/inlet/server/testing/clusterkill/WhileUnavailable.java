package io.inlet.server.testing.clusterkill;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Calls a node again while it answers UNAVAILABLE, as HStreamDB's clients are told to: a shard
 * whose leader is being chosen, or whose new leader is still recovering it, answers so for a few
 * seconds.
 */
final class WhileUnavailable {
  /** How long a call is retried, at most. */
  static final Duration LIMIT = Duration.ofSeconds(60);

  private static final long PAUSE_MS = 200;

  private WhileUnavailable() {}

  /**
   * The call's result; the call is made again every 200 ms while it fails with UNAVAILABLE, for up
   * to {@link #LIMIT}, then its last failure is thrown. Any other failure is thrown at once.
   *
   * @param what the call, for the message when the wait is interrupted
   */
  static <T> T retry(String what, Supplier<T> call) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while retrying " + what, e);
      }
    }
  }
}
