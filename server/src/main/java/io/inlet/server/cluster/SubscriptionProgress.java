package io.inlet.server.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * A subscription's state in the replicated metadata beside its settings: the node that serves it
 * ({@link #NO_OWNER} until a node takes it) and its committed checkpoints (per shard, the LSN below
 * which every batch is acknowledged). Both live in one value, so that an owner's checkpoint write
 * is a compare-and-set that fails once another node has taken the subscription.
 */
record SubscriptionProgress(int owner, Map<Long, Long> checkpoints) {
  static final int NO_OWNER = 0;

  SubscriptionProgress {
    checkpoints = Map.copyOf(checkpoints);
  }

  static SubscriptionProgress unowned() {
    return new SubscriptionProgress(NO_OWNER, Map.of());
  }

  SubscriptionProgress ownedBy(int node) {
    return new SubscriptionProgress(node, checkpoints);
  }

  /** These checkpoints with {@code prefixes} set as given. */
  SubscriptionProgress with(Map<Long, Long> prefixes) {
    HashMap<Long, Long> next = new HashMap<>(checkpoints);
    next.putAll(prefixes);
    return new SubscriptionProgress(owner, next);
  }
}
