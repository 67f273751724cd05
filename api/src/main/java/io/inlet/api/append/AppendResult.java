package io.inlet.api.append;

import io.inlet.api.hstream.RecordId;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable batch: its shard, the LSN it was given there, and how many records it holds. Record ids
 * are {@code (shardId, lsn, 0..recordCount-1)}.
 */
public record AppendResult(String streamName, long shardId, long lsn, int recordCount) {

  /** Exactly {@code recordCount} record ids, in batch order. */
  public List<RecordId> recordIds() {
    List<RecordId> ids = new ArrayList<>(recordCount);
    for (int i = 0; i < recordCount; i++) {
      ids.add(RecordId.newBuilder().setShardId(shardId).setBatchId(lsn).setBatchIndex(i).build());
    }
    return ids;
  }
}
