package io.inlet.server.subscription;

import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.SubscriptionLocator;
import io.inlet.store.SubscriptionCatalog;

/**
 * Which node serves a subscription's consumers ({@link #ownerOf}, what LookupSubscription answers)
 * and the hold a node takes on it before it delivers ({@link #take}). A node alone owns every
 * subscription; in a cluster one node at a time does, and its checkpoint writes are fenced so that
 * a node that lost the subscription commits nothing more.
 */
public interface SubscriptionOwnership extends SubscriptionLocator {

  /**
   * Makes this node the subscription's owner, before it starts delivering it (may do I/O: never
   * call on an event loop).
   *
   * @return the hold its committed checkpoints are read and written through
   * @throws SubscriptionMovedException when another node serves it; the client looks it up again
   * @throws io.inlet.api.error.InletException SubscriptionNotFound
   */
  OwnedSubscription take(String subscriptionId);

  /** A node that owns every subscription, keeping checkpoints in {@code catalog}. */
  static SubscriptionOwnership local(LocalNode node, SubscriptionCatalog catalog) {
    return new SubscriptionOwnership() {
      @Override
      public io.inlet.api.hstream.ServerNode ownerOf(String subscriptionId) {
        return node.toServerNode();
      }

      @Override
      public OwnedSubscription take(String subscriptionId) {
        return new LocalOwnedSubscription(subscriptionId, catalog);
      }
    };
  }
}
