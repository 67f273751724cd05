package io.inlet.server.subscription;

import io.inlet.api.error.StoreUnavailableException;

/**
 * This node does not serve the subscription (another node owns it, or took it over): UNAVAILABLE to
 * the client, which is what makes HStreamDB's clients and the bundled SDK look the subscription up
 * again and connect to the node named.
 */
public final class SubscriptionMovedException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public SubscriptionMovedException(String message) {
    super(message);
  }
}
