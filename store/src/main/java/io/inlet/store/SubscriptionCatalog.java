package io.inlet.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subscriptions and their committed progress. Every mutation is durable when it returns. */
public interface SubscriptionCatalog {

  /**
   * @throws StoreException SUBSCRIPTION_EXISTS, SUBSCRIPTION_STREAM_NOT_FOUND,
   *     INVALID_SUBSCRIPTION_ID
   */
  SubscriptionInfo create(SubscriptionInfo spec);

  Optional<SubscriptionInfo> get(String id);

  /** Subscriptions whose id starts with {@code prefix} ("" for all), ordered by id. */
  List<SubscriptionInfo> list(String prefix);

  List<SubscriptionInfo> forStream(String streamName);

  /**
   * @return false when no such subscription existed
   */
  boolean delete(String id);

  /**
   * Per shard, the LSN below which every batch is acknowledged: consumption resumes there. A shard
   * absent from the map has no committed progress.
   */
  Map<Long, Long> checkpoints(String id);

  /** Records that every batch of the shard with LSN < {@code nextLsn} is acknowledged. */
  void commit(String id, long shardId, long nextLsn);

  /**
   * Records several shards' acknowledged prefixes (shard id to {@code nextLsn}, as {@link
   * #commit(String, long, long)}); a catalog that can writes them in one durable write.
   */
  default void commit(String id, Map<Long, Long> prefixes) {
    prefixes.forEach((shardId, nextLsn) -> commit(id, shardId, nextLsn));
  }
}
