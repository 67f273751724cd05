package io.inlet.server.read;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.record.BatchValidator;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.store.ShardLog;
import io.inlet.store.StoredBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ShardLog} whose reads check each stored batch ({@link BatchValidator#checkStored})
 * before handing it out. A batch that fails (an older Inlet stored it unchecked: a lying {@code
 * batchSize}, a payload that does not open) is handed out as a damaged placeholder instead: same
 * LSN and append time, {@code batchSize} 0 and no payload. Readers move past it as past a batch
 * with nothing to deliver, subscriptions count it as acknowledged, and no record id of it ever goes
 * out. Each one is reported through {@link DamagedBatches}.
 *
 * <p>Store failures are not caught here: they reach the reader, which decides (a read call ends
 * with the mapped status; a subscription holds back only that shard).
 */
final class CheckedShardLog extends ForwardingShardLog {
  private final BatchValidator validator;
  private final DamagedBatches damaged;

  CheckedShardLog(ShardLog log, BatchValidator validator, DamagedBatches damaged) {
    super(log);
    this.validator = validator;
    this.damaged = damaged;
  }

  @Override
  public List<StoredBatch> read(long shardId, long fromLsn, int maxBatches) {
    List<StoredBatch> batches = super.read(shardId, fromLsn, maxBatches);
    List<StoredBatch> checked = null;
    for (int i = 0; i < batches.size(); i++) {
      StoredBatch batch = batches.get(i);
      try {
        validator.checkStored(batch.batch());
      } catch (InvalidBatchException e) {
        damaged.report(batch, e.getMessage());
        if (checked == null) {
          checked = new ArrayList<>(batches);
        }
        checked.set(i, placeholder(batch));
      }
    }
    return checked == null ? batches : checked;
  }

  private static StoredBatch placeholder(StoredBatch batch) {
    BatchedRecord empty =
        BatchedRecord.newBuilder().setPublishTime(batch.batch().getPublishTime()).build();
    return new StoredBatch(batch.shardId(), batch.lsn(), batch.appendTimeMs(), empty);
  }
}
