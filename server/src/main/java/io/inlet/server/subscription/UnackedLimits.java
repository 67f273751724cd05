package io.inlet.server.subscription;

/**
 * The server's ceilings on records delivered through StreamingFetch and not acknowledged yet,
 * whatever {@code maxUnackedRecords} a subscription asks for. Filled from the settings {@code
 * subscription-max-unacked-records} and {@code node-max-unacked-records}.
 *
 * @param perSubscription the most one subscription may have outstanding
 * @param perNode the most all subscriptions delivered by this node may have outstanding together
 */
public record UnackedLimits(int perSubscription, int perNode) {
  public UnackedLimits {
    if (perSubscription < 1 || perNode < 1) {
      throw new IllegalArgumentException(
          "unacked limits must be positive: " + perSubscription + ", " + perNode);
    }
  }
}
