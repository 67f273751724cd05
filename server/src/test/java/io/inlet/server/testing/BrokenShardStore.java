package io.inlet.server.testing;

import io.inlet.server.read.ForwardingShardLog;
import io.inlet.server.read.ForwardingStreamStore;
import io.inlet.store.ShardLog;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real store whose batch reads of chosen shards fail, as reads of a shard with a corrupt file or
 * a failing disk do; everything else goes to the real store. Shards can be broken and healed while
 * the node runs.
 */
public final class BrokenShardStore extends ForwardingStreamStore {
  private final Map<Long, RuntimeException> broken;

  public BrokenShardStore(StreamStore store) {
    this(store, new ConcurrentHashMap<>());
  }

  private BrokenShardStore(StreamStore store, Map<Long, RuntimeException> broken) {
    super(store, new Log(store.log(), broken));
    this.broken = broken;
  }

  /** Reads of the shard's batches throw {@code failure} until {@link #heal}. */
  public void breakShard(long shardId, RuntimeException failure) {
    broken.put(shardId, failure);
  }

  public void heal(long shardId) {
    broken.remove(shardId);
  }

  private static final class Log extends ForwardingShardLog {
    private final Map<Long, RuntimeException> broken;

    Log(ShardLog log, Map<Long, RuntimeException> broken) {
      super(log);
      this.broken = broken;
    }

    @Override
    public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
      RuntimeException failure = broken.get(shardId);
      if (failure != null) {
        throw failure;
      }
      return super.read(shardId, fromLsn, maxBatches);
    }
  }
}
