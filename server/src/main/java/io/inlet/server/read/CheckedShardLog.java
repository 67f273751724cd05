package io.inlet.server.read;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.record.BatchValidator;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
final class CheckedShardLog implements ShardLog {
  private final ShardLog log;
  private final BatchValidator validator;
  private final DamagedBatches damaged;

  CheckedShardLog(ShardLog log, BatchValidator validator, DamagedBatches damaged) {
    this.log = log;
    this.validator = validator;
    this.damaged = damaged;
  }

  @Override
  public List<StoredBatch> read(long shardId, long fromLsn, int maxBatches) {
    List<StoredBatch> batches = log.read(shardId, fromLsn, maxBatches);
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

  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    return log.append(streamName, shardId, batch);
  }

  @Override
  public ShardPosition position(long shardId) {
    return log.position(shardId);
  }

  @Override
  public long lsnAtOrAfter(long shardId, long timestampMs) {
    return log.lsnAtOrAfter(shardId, timestampMs);
  }

  @Override
  public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    return log.awaitBeyond(shardId, lsn);
  }

  @Override
  public void trimBefore(long shardId, long lsn) {
    log.trimBefore(shardId, lsn);
  }
}
