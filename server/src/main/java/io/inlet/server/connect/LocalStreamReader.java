package io.inlet.server.connect;

import io.inlet.api.error.InletException;
import io.inlet.api.read.ShardBatch;
import io.inlet.api.read.StreamReader;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.grpc.StoreErrorMapping;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The api's {@link StreamReader} on the local store; the store's refusals reach the caller as
 * {@link InletException} ({@link StoreErrorMapping}).
 */
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
    List<StoredEntry> batches;
    try {
      batches = store.log().read(shardId, fromLsn, maxBatches);
    } catch (StoreException e) {
      throw StoreErrorMapping.toInlet(e);
    }
    List<ShardBatch> out = new ArrayList<>(batches.size());
    for (StoredEntry b : batches) {
      out.add(new ShardBatch(b.shardId(), b.lsn(), b.appendTimeMs(), BatchEntries.batch(b)));
    }
    return out;
  }

  @Override
  public long nextLsn(long shardId) {
    try {
      return store.log().position(shardId).lastLsn() + 1;
    } catch (StoreException e) {
      throw StoreErrorMapping.toInlet(e);
    }
  }

  @Override
  public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    CompletableFuture<Void> waiting = store.log().awaitBeyond(shardId, lsn);
    if (waiting.isDone() && !waiting.isCompletedExceptionally()) {
      return waiting;
    }
    return waiting.handle(
        (done, failure) -> {
          if (failure != null) {
            throw new CompletionException(StoreErrorMapping.toDomain(failure));
          }
          return done;
        });
  }
}
