package io.inlet.server.subscription;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds StreamingFetch responses from a tracked batch and its stored form (read from the store for
 * each delivery: the tracker keeps no payloads). A first delivery carries the batch exactly as
 * stored with one record id per record. A redelivery of a partly acknowledged batch carries only
 * the unacknowledged records, re-encoded into a batch of the same compression and publish time,
 * with their original ids: id {@code i} belongs to record {@code i} of the batch, as HStreamDB
 * clients assume when they pair {@code recordIds} with the decoded records (HStreamDB's own resend
 * does the same).
 */
final class FetchResponses {
  private static final Logger log = LoggerFactory.getLogger(FetchResponses.class);

  private FetchResponses() {}

  static StreamingFetchResponse whole(InFlightBatch b, BatchedRecord batch) {
    ReceivedRecord.Builder received = ReceivedRecord.newBuilder().setRecord(batch);
    for (int i = 0; i < b.size; i++) {
      received.addRecordIds(id(b, i));
    }
    return StreamingFetchResponse.newBuilder().setReceivedRecords(received).build();
  }

  /** The records of the batch not acknowledged yet; the whole batch when none is. */
  static StreamingFetchResponse unacknowledged(InFlightBatch b, BatchedRecord batch) {
    if (b.ackedCount() == 0) {
      return whole(b, batch);
    }
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(batch);
    } catch (InvalidBatchException e) {
      // Cannot pick records out of it: resend it whole; the client sees acked records again.
      log.warn(
          "cannot re-encode batch {} of shard {} for redelivery: {}",
          b.lsn,
          b.shardId,
          e.getMessage());
      return whole(b, batch);
    }
    if (records.size() != b.size) {
      log.warn(
          "batch {} of shard {} holds {} records but says {}; resending it whole",
          b.lsn,
          b.shardId,
          records.size(),
          b.size);
      return whole(b, batch);
    }
    List<HStreamRecord> unacked = new ArrayList<>(b.unackedCount());
    ReceivedRecord.Builder received = ReceivedRecord.newBuilder();
    for (int i = 0; i < b.size; i++) {
      if (!b.isAcked(i)) {
        unacked.add(records.get(i));
        received.addRecordIds(id(b, i));
      }
    }
    BatchedRecord subset =
        RecordBatches.encode(unacked, batch.getCompressionType()).toBuilder()
            .setPublishTime(batch.getPublishTime())
            .build();
    return StreamingFetchResponse.newBuilder()
        .setReceivedRecords(received.setRecord(subset))
        .build();
  }

  private static RecordId id(InFlightBatch b, int index) {
    return RecordId.newBuilder()
        .setShardId(b.shardId)
        .setBatchId(b.lsn)
        .setBatchIndex(index)
        .build();
  }
}
