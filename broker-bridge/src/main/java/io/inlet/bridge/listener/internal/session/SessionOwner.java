package io.inlet.bridge.listener.internal.session;

/** The connection a session is attached to, as the session registry sees it. */
public interface SessionOwner {
  /** Another connection opened this client id's session (any thread): disconnect. */
  void takenOver();
}
