package io.inlet.bench.client;

import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ready-made Append requests: a few distinct batches of random (incompressible) RAW records, built
 * once as HStreamDB clients build them, so the load generator spends its CPU on sending, not on
 * encoding. The batches are shared by all shards; the requests differ only in shard id.
 */
public final class BatchPool {
  private static final int DISTINCT_BATCHES = 8;

  private final List<List<AppendRequest>> requestsByShard = new ArrayList<>();
  private final int recordsPerBatch;
  private final long payloadBytesPerBatch;
  private final long wireBytesPerBatch;

  public BatchPool(String stream, List<Long> shardIds, int recordBytes, int recordsPerBatch) {
    this.recordsPerBatch = recordsPerBatch;
    SplittableRandom random = new SplittableRandom(42);
    List<BatchedRecord> batches = new ArrayList<>();
    for (int b = 0; b < DISTINCT_BATCHES; b++) {
      List<HStreamRecord> records = new ArrayList<>(recordsPerBatch);
      for (int r = 0; r < recordsPerBatch; r++) {
        byte[] payload = new byte[recordBytes];
        random.nextBytes(payload);
        records.add(HStreamRecords.raw("device-" + random.nextInt(10_000), payload, Map.of()));
      }
      batches.add(RecordBatches.encode(records, CompressionType.None));
    }
    for (long shardId : shardIds) {
      List<AppendRequest> requests = new ArrayList<>();
      for (BatchedRecord batch : batches) {
        requests.add(
            AppendRequest.newBuilder()
                .setStreamName(stream)
                .setShardId(shardId)
                .setRecords(batch)
                .build());
      }
      requestsByShard.add(requests);
    }
    this.payloadBytesPerBatch = (long) recordBytes * recordsPerBatch;
    this.wireBytesPerBatch = requestsByShard.get(0).get(0).getSerializedSize();
  }

  /** The requests for the shard at {@code shardIndex} (an index into the stream's shard list). */
  public List<AppendRequest> requestsFor(int shardIndex) {
    return requestsByShard.get(shardIndex % requestsByShard.size());
  }

  public int shardCount() {
    return requestsByShard.size();
  }

  public int recordsPerBatch() {
    return recordsPerBatch;
  }

  /** Record payload bytes in one batch (what MB/s figures count). */
  public long payloadBytesPerBatch() {
    return payloadBytesPerBatch;
  }

  /** Bytes of one serialized Append request. */
  public long wireBytesPerBatch() {
    return wireBytesPerBatch;
  }
}
