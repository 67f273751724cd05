package io.inlet.testing.history;

/**
 * A record's id as the HStreamDB API hands it out: its shard, the batch's id in that shard (the
 * LSN) and its index in the batch. Ordered as a shard stores its records.
 */
public record RecordId(long shardId, long batchId, int batchIndex) implements Comparable<RecordId> {
  @Override
  public int compareTo(RecordId other) {
    int byShard = Long.compare(shardId, other.shardId);
    if (byShard != 0) {
      return byShard;
    }
    int byBatch = Long.compareUnsigned(batchId, other.batchId);
    return byBatch != 0 ? byBatch : Integer.compare(batchIndex, other.batchIndex);
  }

  @Override
  public String toString() {
    return shardId + "-" + batchId + "-" + batchIndex;
  }
}
