package io.inlet.server.grpc;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.entry.BatchEntries;
import io.inlet.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored batches into what readers receive, keeping record ids and records in step. The
 * batches come from a checked log ({@link io.inlet.server.read.CheckedStore}): their {@code
 * batchSize} is the number of records their payload holds, so it may size what goes out.
 */
final class Batches {
  private static final Logger log = LoggerFactory.getLogger(Batches.class);

  private Batches() {}

  static int size(StoredEntry batch) {
    return batch.entry().recordCount();
  }

  /**
   * The records {@code [from, to)} of a stored batch with their ids, stamped with the time the
   * store appended the batch ({@link BatchEntries#batch}). The whole batch goes out with its
   * payload as stored; a part is decoded and re-encoded with the same compression. A batch that
   * cannot be decoded goes out whole.
   */
  static ReceivedRecord slice(StoredEntry stored, int from, int to) {
    BatchedRecord batch = BatchEntries.batch(stored);
    int size = batch.getBatchSize();
    int end = Math.min(to, size);
    if (from <= 0 && end >= size) {
      return received(stored, batch, 0, size);
    }
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(batch);
    } catch (InvalidBatchException e) {
      return received(stored, batch, 0, size);
    }
    if (records.size() != size) {
      return received(stored, batch, 0, size);
    }
    List<HStreamRecord> part = records.subList(from, end);
    BatchedRecord encoded = RecordBatches.encode(part, batch.getCompressionType());
    BatchedRecord rebuilt =
        batch.toBuilder().setBatchSize(part.size()).setPayload(encoded.getPayload()).build();
    return received(stored, rebuilt, from, end);
  }

  /**
   * The records {@code [from, to)} of a batch with their ids, decoded; none when a record does not
   * parse (the batch is skipped, and said so in the log).
   */
  static List<KeyedRecord> decode(StoredEntry stored, int from, int to) {
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(BatchEntries.batch(stored));
    } catch (InvalidBatchException e) {
      log.warn(
          "shard {}: stored batch {} does not decode and is skipped: {}",
          Long.toUnsignedString(stored.shardId()),
          stored.lsn(),
          e.getMessage());
      return List.of();
    }
    int end = Math.min(to, records.size());
    List<KeyedRecord> out = new ArrayList<>(Math.max(0, end - from));
    for (int i = from; i < end; i++) {
      out.add(new KeyedRecord(id(stored, i), records.get(i)));
    }
    return out;
  }

  record KeyedRecord(RecordId id, HStreamRecord record) {}

  private static ReceivedRecord received(
      StoredEntry stored, BatchedRecord batch, int from, int to) {
    ReceivedRecord.Builder out = ReceivedRecord.newBuilder().setRecord(batch);
    for (int i = from; i < to; i++) {
      out.addRecordIds(id(stored, i));
    }
    return out.build();
  }

  static RecordId id(StoredEntry stored, int index) {
    return RecordId.newBuilder()
        .setShardId(stored.shardId())
        .setBatchId(stored.lsn())
        .setBatchIndex(index)
        .build();
  }
}
