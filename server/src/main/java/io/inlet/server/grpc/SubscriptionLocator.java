package io.inlet.server.grpc;

import io.inlet.api.hstream.ServerNode;

/** Where a subscription's consumers are served: LookupSubscription answers with it. */
@FunctionalInterface
public interface SubscriptionLocator {

  /** The node that serves {@code subscriptionId}, as clients dial it. */
  ServerNode ownerOf(String subscriptionId);

  /** A node that serves every subscription itself. */
  static SubscriptionLocator self(LocalNode node) {
    return subscriptionId -> node.toServerNode();
  }
}
