package io.inlet.api.record;

import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.BatchedRecord;

/**
 * The publish time readers see. HStreamDB sets {@code BatchedRecord.publishTime} to the time it
 * appended the batch, on every read and every StreamingFetch delivery, whatever the producer sent
 * (neither public client sets it). The store keeps the append time beside each batch; every read
 * path stamps it with {@link #stamped}.
 */
public final class PublishTimes {
  private PublishTimes() {}

  /** The batch with {@code publishTime} set to {@code appendTimeMs} (milliseconds since epoch). */
  public static BatchedRecord stamped(BatchedRecord batch, long appendTimeMs) {
    Timestamp time =
        Timestamp.newBuilder()
            .setSeconds(Math.floorDiv(appendTimeMs, 1000L))
            .setNanos((int) Math.floorMod(appendTimeMs, 1000L) * 1_000_000)
            .build();
    if (batch.hasPublishTime() && batch.getPublishTime().equals(time)) {
      return batch;
    }
    return batch.toBuilder().setPublishTime(time).build();
  }
}
