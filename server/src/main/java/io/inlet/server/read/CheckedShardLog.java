package io.inlet.server.read;

import com.google.protobuf.ByteString;
import io.inlet.api.record.BatchValidator;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.server.entry.BatchEntries;
import io.inlet.store.Entry;
import io.inlet.store.ShardLog;
import io.inlet.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ShardLog} whose reads check each stored batch ({@link BatchValidator#checkStored})
 * before handing it out. Each entry is opened as HStreamDB's batch ({@link BatchEntries}); one that
 * fails (an older Inlet stored it unchecked: a lying {@code batchSize}, a payload that does not
 * open) is handed out as a damaged placeholder instead: same LSN and append time, record count 0
 * and no payload. Readers move past it as past a batch with nothing to deliver, subscriptions count
 * it as acknowledged, and no record id of it ever goes out. Each one is reported through {@link
 * DamagedBatches}.
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
  public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
    List<StoredEntry> batches = super.read(shardId, fromLsn, maxBatches);
    List<StoredEntry> checked = null;
    for (int i = 0; i < batches.size(); i++) {
      StoredEntry batch = batches.get(i);
      try {
        validator.checkStored(BatchEntries.batch(batch));
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

  private static StoredEntry placeholder(StoredEntry batch) {
    Entry empty = new Entry(0, 0, ByteString.EMPTY);
    return new StoredEntry(batch.shardId(), batch.lsn(), batch.appendTimeMs(), empty);
  }
}
