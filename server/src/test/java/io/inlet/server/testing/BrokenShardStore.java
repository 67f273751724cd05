package io.inlet.server.testing;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredBatch;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real store whose batch reads of chosen shards fail, as reads of a shard with a corrupt file or
 * a failing disk do; everything else goes to the real store. Shards can be broken and healed while
 * the node runs.
 */
public final class BrokenShardStore implements StreamStore {
  private final StreamStore store;
  private final Map<Long, RuntimeException> broken = new ConcurrentHashMap<>();
  private final ShardLog log;

  public BrokenShardStore(StreamStore store) {
    this.store = store;
    this.log = new Log(store.log());
  }

  /** Reads of the shard's batches throw {@code failure} until {@link #heal}. */
  public void breakShard(long shardId, RuntimeException failure) {
    broken.put(shardId, failure);
  }

  public void heal(long shardId) {
    broken.remove(shardId);
  }

  @Override
  public StreamCatalog streams() {
    return store.streams();
  }

  @Override
  public ShardLog log() {
    return log;
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return store.subscriptions();
  }

  @Override
  public ReaderCatalog readers() {
    return store.readers();
  }

  @Override
  public MetadataCatalog metadata() {
    return store.metadata();
  }

  @Override
  public void close() {
    store.close();
  }

  private final class Log implements ShardLog {
    private final ShardLog log;

    Log(ShardLog log) {
      this.log = log;
    }

    @Override
    public CompletableFuture<AppendResult> append(
        String streamName, long shardId, BatchedRecord batch) {
      return log.append(streamName, shardId, batch);
    }

    @Override
    public List<StoredBatch> read(long shardId, long fromLsn, int maxBatches) {
      RuntimeException failure = broken.get(shardId);
      if (failure != null) {
        throw failure;
      }
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
}
