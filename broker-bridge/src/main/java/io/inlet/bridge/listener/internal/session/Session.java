package io.inlet.bridge.listener.internal.session;

import io.inlet.bridge.listener.internal.ReasonCodes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * The server side of an MQTT session: what must survive from one connection of a client id to the
 * next. Inlet delivers nothing to clients, so that is only the QoS 2 packet ids received and not
 * yet released, which makes QoS 2 exactly-once across reconnects. Kept in memory (a restart of
 * Inlet ends every session).
 *
 * <p>{@link SessionRegistry} guards the owner, will and timer fields with its lock; the receipts
 * are guarded by this object's own lock, since ingest completions update them from any thread.
 */
public final class Session {
  final String clientId;

  // guarded by the registry
  SessionOwner owner;
  Will will;
  long expirySeconds;
  ScheduledFuture<?> expiryTask;
  Will pendingWill;
  ScheduledFuture<?> pendingWillTask;

  // guarded by this; null while empty
  private Map<Integer, CompletableFuture<Integer>> qos2Receipts;

  Session(String clientId) {
    this.clientId = clientId;
  }

  /**
   * The decision for a QoS 2 publish with {@code packetId}: the one already under way or made for
   * that id when it was received before and not released (a duplicate, stored once), else a new one
   * from {@code ingest}. A decision that ends the flow (an error reason code, or closing the
   * connection) forgets the id, so a retransmission is ingested again.
   *
   * @param duplicate run when the id was already known
   */
  public synchronized CompletableFuture<Integer> qos2Decision(
      int packetId, Supplier<CompletableFuture<Integer>> ingest, Runnable duplicate) {
    if (qos2Receipts == null) {
      qos2Receipts = new HashMap<>(4);
    }
    CompletableFuture<Integer> known = qos2Receipts.get(packetId);
    if (known != null) {
      duplicate.run();
      return known;
    }
    CompletableFuture<Integer> decision = ingest.get();
    qos2Receipts.put(packetId, decision);
    decision.whenComplete(
        (d, e) -> {
          if (e != null || d == null || d < 0 || d >= ReasonCodes.UNSPECIFIED_ERROR) {
            forget(packetId, decision);
          }
        });
    return decision;
  }

  private synchronized void forget(int packetId, CompletableFuture<Integer> decision) {
    if (qos2Receipts != null) {
      qos2Receipts.remove(packetId, decision);
      if (qos2Receipts.isEmpty()) {
        qos2Receipts = null;
      }
    }
  }

  /** PUBREL: forgets {@code packetId}; false when it was not known. */
  public synchronized boolean release(int packetId) {
    if (qos2Receipts == null || qos2Receipts.remove(packetId) == null) {
      return false;
    }
    if (qos2Receipts.isEmpty()) {
      qos2Receipts = null;
    }
    return true;
  }

  /** Drops every receipt (a clean start). */
  public synchronized void clearReceipts() {
    qos2Receipts = null;
  }
}
