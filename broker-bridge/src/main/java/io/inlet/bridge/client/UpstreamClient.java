package io.inlet.bridge.client;

import io.inlet.api.ingest.InboundMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT client of one bridge, over MQTT 3.1.1 or 5 ({@link Mqtt3Upstream}, {@link
 * Mqtt5Upstream}): a persistent session, QoS 1 subscriptions and manual acknowledgement.
 */
interface UpstreamClient {

  /** What the client reports; called on the client's event loop. */
  interface Events {
    /** A connection is up (the first or a reconnect). */
    void connected(boolean sessionPresent);

    /**
     * The connection is gone or could not be made.
     *
     * @return the delay in ms before reconnecting, or a negative number to stay disconnected
     */
    long disconnected(Throwable cause);

    /** A message arrived; {@code ack} sends its PUBACK (once; later calls do nothing). */
    void message(InboundMessage message, Runnable ack);
  }

  /** Builds the client and starts connecting; failures come through {@link Events}. */
  void start(Events events);

  /** Subscribes with QoS 1; fails when the broker refuses any of the filters. */
  CompletableFuture<Void> subscribe(List<String> filters);

  /**
   * Disconnects, keeping the session at the broker. Completes when the connection is closed (at
   * once when there is none).
   */
  CompletableFuture<Void> disconnect();
}
