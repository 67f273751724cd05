package io.inlet.server.subscription;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's ceiling on unacknowledged records, shared by every subscription it delivers ({@code
 * node-max-unacked-records}). A subscription sends a new batch only while there is room; the batch
 * that crosses the ceiling still goes out whole, so the total may overshoot by less than one batch
 * per subscription. A subscription that found no room registers to be woken when acknowledgements
 * (of any subscription) make room again. Thread-safe: every lane uses it.
 */
final class NodeUnackedBudget {
  private final long max;
  private final AtomicLong outstanding = new AtomicLong();
  private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

  NodeUnackedBudget(long max) {
    this.max = max;
  }

  /**
   * Whether a new batch may go out; when not, {@code wake} runs once there is room again.
   *
   * @param wake must be cheap and safe from any thread (it asks a lane to pump)
   */
  boolean hasRoom(Runnable wake) {
    if (outstanding.get() < max) {
      return true;
    }
    waiting.add(wake);
    // Acknowledgements may have made room between the check and the registration.
    if (outstanding.get() < max) {
      wakeAll();
    }
    return false;
  }

  void delivered(long records) {
    outstanding.addAndGet(records);
  }

  /** Records acknowledged, or no longer tracked (their subscription stopped). */
  void released(long records) {
    if (records > 0 && outstanding.addAndGet(-records) < max && !waiting.isEmpty()) {
      wakeAll();
    }
  }

  long outstanding() {
    return outstanding.get();
  }

  private void wakeAll() {
    for (Runnable wake : waiting) {
      if (waiting.remove(wake)) {
        wake.run();
      }
    }
  }
}
