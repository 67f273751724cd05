package io.inlet.bridge.listener.internal.publish;

import io.inlet.bridge.listener.ListenerStats.Event;

/** What the publish flow may do to the connection it serves. Event loop only, except as noted. */
public interface ConnectionControl {
  /** Whether the connection is closing or closed: nothing more is written. */
  boolean isClosed();

  /** Closes the connection, telling an MQTT 5 client why first; counts {@code event} if any. */
  void disconnect(int reasonV5, Event event);

  /** Closes the connection without a DISCONNECT (the client retransmits after reconnecting). */
  void close();

  /** Runs {@code task} on the connection's event loop (any thread). */
  void onLoop(Runnable task);
}
