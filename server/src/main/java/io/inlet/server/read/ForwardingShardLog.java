package io.inlet.server.read;

import io.inlet.api.append.AppendResult;
import io.inlet.store.Entry;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link ShardLog} that hands every call to another; subclasses change what they need. */
public class ForwardingShardLog implements ShardLog {
  private final ShardLog log;

  public ForwardingShardLog(ShardLog log) {
    this.log = log;
  }

  @Override
  public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
    return log.append(streamName, shardId, entry);
  }

  @Override
  public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
    return log.read(shardId, fromLsn, maxBatches);
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
