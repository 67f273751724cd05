package io.inlet.server.subscription;

import java.util.Map;

/**
 * This node's hold on a subscription it delivers: the checkpoints committed when it took it, and
 * the writes of later ones. Writes come one at a time from the subscription's checkpoint writer.
 */
public interface OwnedSubscription {

  /** Per shard, the LSN below which every batch was acknowledged, as committed when taken. */
  Map<Long, Long> checkpoints();

  /**
   * Commits the acknowledged prefixes (per shard, the LSN below which every batch is acknowledged)
   * in one durable write.
   *
   * @throws SubscriptionMovedException when another node took the subscription, or it was deleted:
   *     nothing was written, and nothing more will be
   */
  void commit(Map<Long, Long> prefixes);

  /** Whether this node still holds the subscription (it was not taken over nor deleted). */
  boolean held();
}
