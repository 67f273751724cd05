package io.inlet.server.entry;

import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.store.Entry;
import io.inlet.store.StoredEntry;

/**
 * The one place HStreamDB's {@link BatchedRecord} meets the store's opaque {@link Entry}: every
 * path that appends a batch (gRPC Append, MQTT and ExHook ingest, connectors, SQL) turns it into an
 * entry here, and every path that reads one (readers, streaming reads, subscriptions, connectors)
 * turns it back here.
 *
 * <ul>
 *   <li>{@code payload} is the entry's bytes, shared, never copied;
 *   <li>{@code batchSize} is its record count, {@code compressionType} its format;
 *   <li>{@code publishTime} is not stored: HStreamDB sets it to the time it appended the batch, on
 *       every read and every StreamingFetch delivery, whatever the producer sent (neither public
 *       client sets it), so a read sets it from the entry's append time.
 * </ul>
 */
public final class BatchEntries {
  private BatchEntries() {}

  /**
   * The entry that stores {@code batch}; its payload shares the batch's bytes.
   *
   * @throws IllegalArgumentException for a compression number above {@link Entry#MAX_FORMAT}
   *     (callers check the batch first, which refuses any compression it does not know)
   */
  public static Entry entry(BatchedRecord batch) {
    return new Entry(batch.getBatchSize(), batch.getCompressionTypeValue(), batch.getPayload());
  }

  /**
   * The batch a stored entry holds, as readers receive it: {@code publishTime} is the time the
   * store appended it. The payload shares the entry's bytes.
   */
  public static BatchedRecord batch(StoredEntry stored) {
    Entry entry = stored.entry();
    return BatchedRecord.newBuilder()
        .setCompressionTypeValue(entry.format())
        .setPublishTime(timestamp(stored.appendTimeMs()))
        .setBatchSize(entry.recordCount())
        .setPayload(entry.payload())
        .build();
  }

  private static Timestamp timestamp(long epochMs) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMs, 1000L))
        .setNanos((int) Math.floorMod(epochMs, 1000L) * 1_000_000)
        .build();
  }
}
