package io.inlet.bridge.listener.internal.session;

import io.inlet.bridge.listener.ListenerStats;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sessions by client id: opening (resume or clean start, taking over a connected client), detaching
 * when a connection ends (wills, expiry), expiring. One lock for all of it; it is held only for map
 * and field updates.
 */
public final class SessionRegistry {
  /** What {@link #open} found. */
  public record Opened(Session session, boolean present) {}

  private final Map<String, Session> sessions = new HashMap<>();
  private final EventExecutorGroup timers;
  private final Consumer<Will> willPublisher;
  private final ListenerStats stats;
  private boolean closed;

  public SessionRegistry(
      EventExecutorGroup timers, Consumer<Will> willPublisher, ListenerStats stats) {
    this.timers = timers;
    this.willPublisher = willPublisher;
    this.stats = stats;
  }

  /**
   * Attaches {@code connection} to the session of {@code clientId}: resumes it unless {@code
   * cleanStart}, and disconnects a client still connected with that id (session taken over).
   */
  public synchronized Opened open(
      String clientId, boolean cleanStart, long expirySeconds, Will will, SessionOwner connection) {
    Session session = sessions.get(clientId);
    if (session != null) {
      cancel(session);
      if (session.owner != null) {
        SessionOwner previous = session.owner;
        Will previousWill = session.will;
        session.owner = null;
        session.will = null;
        stats.record(ListenerStats.Event.SESSION_TAKEOVER);
        previous.takenOver();
        // A delayed will is not sent when the session is resumed before the delay passes.
        if (previousWill != null && (previousWill.delaySeconds() == 0 || cleanStart)) {
          willPublisher.accept(previousWill);
        }
      } else if (session.pendingWill != null && cleanStart) {
        willPublisher.accept(session.pendingWill);
      }
      session.pendingWill = null;
      if (cleanStart) {
        session.clearReceipts();
        session = null;
      }
    }
    boolean present = session != null;
    if (session == null) {
      session = new Session(clientId);
      sessions.put(clientId, session);
    }
    session.owner = connection;
    session.will = will;
    session.expirySeconds = expirySeconds;
    return new Opened(session, present);
  }

  /**
   * An MQTT 5 DISCONNECT changes the session's expiry (capped at {@code max}). False, and nothing
   * changed, when it was 0: a session that ends with its connection cannot be made to outlive it.
   */
  public synchronized boolean setExpiry(Session session, long expirySeconds, long max) {
    if (session.expirySeconds == 0 && expirySeconds != 0) {
      return false;
    }
    session.expirySeconds = Math.min(expirySeconds, max);
    return true;
  }

  /**
   * The connection of {@code session} ended. Unless it ended with a normal DISCONNECT, its will
   * fires now or after its delay; the session ends now (expiry 0) or after its expiry.
   */
  public synchronized void detach(
      Session session, SessionOwner connection, boolean normalDisconnect) {
    if (session.owner != connection) {
      return; // taken over: handled in open()
    }
    session.owner = null;
    Will will = session.will;
    session.will = null;
    if (will != null && !normalDisconnect && !closed) {
      if (will.delaySeconds() == 0 || session.expirySeconds == 0) {
        willPublisher.accept(will);
      } else {
        session.pendingWill = will;
        long delay = Math.min(will.delaySeconds(), session.expirySeconds);
        session.pendingWillTask =
            timers.schedule(() -> firePendingWill(session, will), delay, TimeUnit.SECONDS);
      }
    }
    if (session.expirySeconds == 0 || closed) {
      sessions.remove(session.clientId, session);
    } else {
      session.expiryTask =
          timers.schedule(() -> expire(session), session.expirySeconds, TimeUnit.SECONDS);
    }
  }

  private synchronized void firePendingWill(Session session, Will will) {
    if (session.pendingWill == will && !closed) {
      session.pendingWill = null;
      willPublisher.accept(will);
    }
  }

  private synchronized void expire(Session session) {
    if (session.owner != null || sessions.get(session.clientId) != session) {
      return;
    }
    sessions.remove(session.clientId);
    stats.record(ListenerStats.Event.SESSION_EXPIRED);
    if (session.pendingWill != null && !closed) {
      Will will = session.pendingWill;
      session.pendingWill = null;
      willPublisher.accept(will);
    }
  }

  private static void cancel(Session session) {
    if (session.expiryTask != null) {
      session.expiryTask.cancel(false);
      session.expiryTask = null;
    }
    if (session.pendingWillTask != null) {
      session.pendingWillTask.cancel(false);
      session.pendingWillTask = null;
    }
  }

  public synchronized int size() {
    return sessions.size();
  }

  /** The listener is stopping: no more wills, and every session ends. */
  public synchronized void close() {
    closed = true;
    for (Session session : sessions.values()) {
      cancel(session);
      session.pendingWill = null;
    }
    sessions.clear();
  }
}
