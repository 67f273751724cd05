package io.inlet.bridge.listener.internal.publish;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.RefusedPublishPolicy;
import io.inlet.bridge.listener.internal.ReasonCodes;
import java.util.concurrent.CompletionException;

/**
 * Turns what became of a publish into what the client is told: an MQTT 5 reason code for the
 * PUBACK/PUBREC, a plain acknowledgement for MQTT 3, or {@link ReasonCodes#CLOSE}. Counts each
 * outcome.
 */
public final class PublishDecisions {
  private final boolean v5;
  private final RefusedPublishPolicy unmatched;
  private final RefusedPublishPolicy denied;
  private final ListenerStats stats;

  PublishDecisions(
      boolean v5,
      RefusedPublishPolicy unmatched,
      RefusedPublishPolicy denied,
      ListenerStats stats) {
    this.v5 = v5;
    this.unmatched = unmatched;
    this.denied = denied;
    this.stats = stats;
  }

  /**
   * The decision for an ingest that completed with {@code outcome} or failed with {@code error}.
   */
  public int decide(IngestOutcome outcome, Throwable error) {
    if (error != null) {
      stats.record(ListenerStats.Event.PUBLISH_FAILED);
      if (!v5) {
        return ReasonCodes.CLOSE; // the client retransmits after reconnecting
      }
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      return cause instanceof StoreUnavailableException
          ? ReasonCodes.QUOTA_EXCEEDED
          : ReasonCodes.UNSPECIFIED_ERROR;
    }
    if (outcome instanceof IngestOutcome.Stored) {
      stats.record(ListenerStats.Event.PUBLISH_STORED);
      return ReasonCodes.SUCCESS;
    }
    if (outcome instanceof IngestOutcome.Rejected) {
      stats.record(ListenerStats.Event.PUBLISH_REJECTED);
      return v5 ? ReasonCodes.PAYLOAD_FORMAT_INVALID : v3(unmatched);
    }
    stats.record(ListenerStats.Event.PUBLISH_UNMATCHED);
    return v5 ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : v3(unmatched);
  }

  /**
   * The decision for a QoS 0 publish: as {@link #decide}, except that a store failure does not
   * close an MQTT 3 connection (QoS 0 is at most once; nothing is retransmitted).
   */
  public int decideQos0(IngestOutcome outcome, Throwable error) {
    int decision = decide(outcome, error);
    return error != null ? ReasonCodes.SUCCESS : decision;
  }

  /** The decision for a publish the ACL denied. */
  public int denied() {
    stats.record(ListenerStats.Event.PUBLISH_DENIED);
    return v5 ? ReasonCodes.NOT_AUTHORIZED : v3(denied);
  }

  private static int v3(RefusedPublishPolicy policy) {
    return policy == RefusedPublishPolicy.DROP ? ReasonCodes.SUCCESS : ReasonCodes.CLOSE;
  }
}
