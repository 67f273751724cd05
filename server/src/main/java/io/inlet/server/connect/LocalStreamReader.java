package io.inlet.server.connect;

import io.inlet.api.error.InletException;
import io.inlet.api.read.ShardBatch;
import io.inlet.api.read.StreamReader;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoredBatch;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The api's {@link StreamReader} on the local store. */
public final class LocalStreamReader implements StreamReader {
  private final StreamStore store;

  public LocalStreamReader(StreamStore store) {
    this.store = store;
  }

  @Override
  public List<Long> shards(String stream) {
    List<Long> ids = new ArrayList<>();
    for (ShardInfo shard :
        store
            .streams()
            .get(stream)
            .orElseThrow(() -> InletException.streamNotFound(stream))
            .shards()) {
      ids.add(shard.shardId());
    }
    return ids;
  }

  @Override
  public List<ShardBatch> read(long shardId, long fromLsn, int maxBatches) {
    List<ShardBatch> out = new ArrayList<>();
    for (StoredBatch b : store.log().read(shardId, fromLsn, maxBatches)) {
      out.add(new ShardBatch(b.shardId(), b.lsn(), b.appendTimeMs(), b.batch()));
    }
    return out;
  }

  @Override
  public long nextLsn(long shardId) {
    return store.log().position(shardId).lastLsn() + 1;
  }

  @Override
  public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    return store.log().awaitBeyond(shardId, lsn);
  }
}
