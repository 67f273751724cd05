package io.inlet.server.subscription;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.util.List;

/**
 * The subscriptions' ceilings on unacknowledged records; {@link #unackedLimits} builds {@link
 * UnackedLimits} from them.
 */
public final class SubscriptionConfigKeys {
  private SubscriptionConfigKeys() {}

  public static final Option<Integer> SUBSCRIPTION_MAX_UNACKED_RECORDS =
      Option.of(
          "subscription-max-unacked-records",
          "integer",
          "",
          "100000",
          "Ceiling on the records one subscription may have delivered and not acknowledged,"
              + " whatever maxUnackedRecords it asks for; delivery pauses there until acks come.",
          ValueParsers.intRange(1, Integer.MAX_VALUE));

  public static final Option<Integer> NODE_MAX_UNACKED_RECORDS =
      Option.of(
          "node-max-unacked-records",
          "integer",
          "",
          "1000000",
          "Ceiling on the unacknowledged records of all subscriptions this node delivers. Only"
              + " bookkeeping is held for them (about 100 bytes per record at worst, payloads are"
              + " re-read from the store when redelivered).",
          ValueParsers.intRange(1, Integer.MAX_VALUE));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(SUBSCRIPTION_MAX_UNACKED_RECORDS, NODE_MAX_UNACKED_RECORDS);

  public static UnackedLimits unackedLimits(OptionValues values) {
    return new UnackedLimits(
        values.get(SUBSCRIPTION_MAX_UNACKED_RECORDS), values.get(NODE_MAX_UNACKED_RECORDS));
  }
}
