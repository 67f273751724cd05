package io.inlet.bridge.client;

import java.util.Locale;

/** Where a bridge's connection to its upstream broker stands. */
public enum BridgeState {
  /** The first connection attempt is under way. */
  CONNECTING,
  /** Connected; messages flow. */
  CONNECTED,
  /** Disconnected (or never connected); the next attempt is scheduled with backoff. */
  RECONNECTING,
  /** Stopped with the node; the broker keeps the session and queues messages. */
  STOPPED;

  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
