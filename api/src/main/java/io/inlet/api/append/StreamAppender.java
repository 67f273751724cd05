package io.inlet.api.append;

import io.inlet.api.hstream.BatchedRecord;
import java.util.concurrent.CompletableFuture;

/**
 * The one way every ingress (gRPC Append, MQTT listener, broker bridge, ExHook, CDC) writes into
 * streams. The server binds it to the local store or, in a cluster, to the router.
 *
 * <p>Implementations are thread-safe.
 */
public interface StreamAppender {

  /**
   * Appends one batch, stored as received, to a shard of a stream.
   *
   * <p>The future completes with the batch's record ids only once the batch is durable (in the
   * write-ahead log and fsync'd). It completes exceptionally with an {@link
   * io.inlet.api.error.InletException} for a client mistake (unknown stream or shard, invalid
   * batch; see its {@code code()}), or with {@link io.inlet.api.error.StoreUnavailableException}
   * when the store cannot take writes (full disk, closing); nothing of the batch is then stored.
   */
  CompletableFuture<AppendResult> append(String streamName, long shardId, BatchedRecord batch);

  /**
   * The shard of {@code streamName} that owns {@code partitionKey}, routed as HStreamDB clients
   * route it (see {@link io.inlet.api.record.PartitionKeys}).
   *
   * @throws io.inlet.api.error.InletException with {@code StreamNotFound} for an unknown stream
   */
  long shardForKey(String streamName, String partitionKey);

  /**
   * Appends one batch to the shard of {@code streamName} that owns {@code partitionKey}: {@link
   * #shardForKey} then {@link #append}. Implementations whose shard lookup may wait (a cluster
   * reading its catalog) override it so that it never blocks the caller; failures of the lookup
   * complete the future exceptionally, as {@link #append}'s do.
   */
  default CompletableFuture<AppendResult> appendByKey(
      String streamName, String partitionKey, BatchedRecord batch) {
    try {
      return append(streamName, shardForKey(streamName, partitionKey), batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
