package io.inlet.server.cluster;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.server.testing.GrpcClient;
import java.time.Duration;
import java.util.List;

/** Appends for cluster tests that wait while a shard has no leader. */
final class LedAppends {
  private LedAppends() {}

  /**
   * Appends the batch, trying again while the shard has no leader (just created, or its leader's
   * node stopped) for up to {@code patience}: such a refusal appended nothing, so trying again
   * cannot duplicate. Any other failure is thrown.
   */
  static void append(
      GrpcClient client,
      String stream,
      long shard,
      List<HStreamRecord> records,
      Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        client.append(stream, shard, GrpcClient.batch(records));
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
            || !String.valueOf(e.getStatus().getDescription()).contains("no running leader")
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
