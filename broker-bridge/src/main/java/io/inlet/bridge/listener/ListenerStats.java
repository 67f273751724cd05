package io.inlet.bridge.listener;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the MQTT listener, cheap to update from any event loop. {@link #snapshot()} names
 * each one for whoever exports them (metrics).
 */
public final class ListenerStats {
  /** What is counted. */
  public enum Event {
    CONNECTION_OPENED,
    CONNECTION_CLOSED,
    CONNECT_ACCEPTED,
    /** Refused: wrong username or password (0x04 / 0x86). */
    CONNECT_REFUSED_CREDENTIALS,
    /** Refused: anonymous access off, or a will topic the ACL denies (0x05 / 0x87). */
    CONNECT_REFUSED_NOT_AUTHORIZED,
    /**
     * Refused before its credentials were checked: too many failed logins from the client's address
     * (0x05 / 0x8A).
     */
    CONNECT_REFUSED_LOGIN_THROTTLED,
    /** Refused for another reason (protocol version, client id, auth method, ...). */
    CONNECT_REFUSED_OTHER,
    MALFORMED_PACKET,
    OVERSIZED_PACKET,
    PROTOCOL_ERROR,
    KEEP_ALIVE_TIMEOUT,
    SESSION_TAKEOVER,
    SESSION_EXPIRED,
    PUBLISH_RECEIVED_QOS0,
    PUBLISH_RECEIVED_QOS1,
    PUBLISH_RECEIVED_QOS2,
    PUBLISH_STORED,
    /** No rule matched (MQTT 5: 0x10; MQTT 3: dropped or disconnected). */
    PUBLISH_UNMATCHED,
    /** A rule refused the payload (MQTT 5: 0x99). */
    PUBLISH_REJECTED,
    /** The ACL denied it (MQTT 5: 0x87). */
    PUBLISH_DENIED,
    /** The store failed; not acknowledged as stored. */
    PUBLISH_FAILED,
    /** A QoS 2 publish whose packet id was already received and not yet released: not stored. */
    QOS2_DUPLICATE,
    WILL_PUBLISHED,
    SUBSCRIBE_REFUSED
  }

  private final LongAdder[] counters = new LongAdder[Event.values().length];
  private final LongAdder inflight = new LongAdder();

  public ListenerStats() {
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder();
    }
  }

  public void record(Event event) {
    counters[event.ordinal()].increment();
  }

  public void publishReceived(int qos) {
    record(
        qos == 0
            ? Event.PUBLISH_RECEIVED_QOS0
            : qos == 1 ? Event.PUBLISH_RECEIVED_QOS1 : Event.PUBLISH_RECEIVED_QOS2);
  }

  /** A publish (or will) was handed to the ingestor; its outcome is not known yet. */
  public void ingestStarted() {
    inflight.increment();
  }

  /** The ingestor answered a publish counted by {@link #ingestStarted()}, either way. */
  public void ingestFinished() {
    inflight.decrement();
  }

  /** Publishes received and waiting for the store's answer (their acks wait with them). */
  public long inflight() {
    return inflight.sum();
  }

  public long count(Event event) {
    return counters[event.ordinal()].sum();
  }

  /** Open connections now. */
  public long connections() {
    return count(Event.CONNECTION_OPENED) - count(Event.CONNECTION_CLOSED);
  }

  /**
   * Every counter by a stable name (e.g. {@code publish.stored}), plus {@code connections.open}.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("connections.open", connections());
    out.put("publishes.inflight", inflight());
    for (Event e : Event.values()) {
      out.put(e.name().toLowerCase(Locale.ROOT).replace('_', '.'), count(e));
    }
    return out;
  }
}
