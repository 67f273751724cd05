package io.inlet.server.subscription;

import io.inlet.store.SubscriptionCatalog;
import java.util.Map;

/** A subscription of a node alone: its checkpoints are the store's, and it is always held. */
final class LocalOwnedSubscription implements OwnedSubscription {
  private final String id;
  private final SubscriptionCatalog catalog;
  private final Map<Long, Long> checkpoints;

  LocalOwnedSubscription(String id, SubscriptionCatalog catalog) {
    this.id = id;
    this.catalog = catalog;
    this.checkpoints = Map.copyOf(catalog.checkpoints(id));
  }

  @Override
  public Map<Long, Long> checkpoints() {
    return checkpoints;
  }

  @Override
  public void commit(Map<Long, Long> prefixes) {
    catalog.commit(id, prefixes);
  }

  @Override
  public boolean held() {
    return true;
  }
}
