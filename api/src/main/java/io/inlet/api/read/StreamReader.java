package io.inlet.api.read;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads streams by shard and LSN for in-node consumers (CDC sinks): only durable batches are ever
 * returned, in LSN order. The server binds it to the local store or, in a cluster, to the router.
 * Positions are the caller's to keep. Implementations are thread-safe.
 */
public interface StreamReader {

  /**
   * The ids of the stream's shards, in key-range order.
   *
   * @throws io.inlet.api.error.InletException with {@code StreamNotFound} for an unknown stream
   */
  List<Long> shards(String stream);

  /**
   * Up to {@code maxBatches} durable batches of the shard with LSN {@code >= fromLsn}, in LSN
   * order; empty when there is none yet. Blocks on I/O.
   *
   * @throws io.inlet.api.error.InletException for an unknown shard (its stream was deleted)
   * @throws io.inlet.api.error.StoreUnavailableException when the store cannot read
   */
  List<ShardBatch> read(long shardId, long fromLsn, int maxBatches);

  /**
   * The LSN the shard's next append will get (its newest durable LSN + 1; LSNs start at 1): where a
   * reader that wants only new batches starts.
   *
   * @throws io.inlet.api.error.InletException for an unknown shard
   */
  long nextLsn(long shardId);

  /**
   * Completes when the shard holds a batch with LSN {@code > lsn} (at once when it already does).
   * Fails with {@link io.inlet.api.error.StoreUnavailableException} when the store closes.
   */
  CompletableFuture<Void> awaitBeyond(long shardId, long lsn);
}
