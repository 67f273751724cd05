package io.inlet.server.subscription;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One shard's delivered-but-unacknowledged batches, in LSN order, and the acknowledged prefix: the
 * LSN below which every batch the subscription read is fully acknowledged. That prefix is what gets
 * committed, so a restart resumes after it without redelivering acknowledged batches. Gaps in the
 * LSN sequence (trimmed batches) count as acknowledged. Confined to its subscription's lane.
 */
final class AckTracker {
  private InFlightBatch[] ring = new InFlightBatch[16];
  private int head;
  private int count;

  /** The LSN after the last tracked batch; the prefix when nothing is in flight. */
  private long endLsn;

  /** What the tracked batches' bookkeeping takes, about. */
  private long footprintBytes;

  /**
   * @param startLsn where consumption starts: the committed prefix or the subscription's start
   */
  AckTracker(long startLsn) {
    this.endLsn = startLsn;
  }

  /**
   * Starts tracking a batch read from the shard.
   *
   * @throws IllegalArgumentException when {@code lsn} is not after every tracked batch
   */
  InFlightBatch track(long shardId, long lsn, int size) {
    if (lsn < endLsn) {
      throw new IllegalArgumentException("batch " + lsn + " is before " + endLsn);
    }
    InFlightBatch inFlight = new InFlightBatch(shardId, lsn, size);
    endLsn = lsn + 1;
    if (inFlight.size == 0) {
      // Nothing to deliver or acknowledge; it only moves the prefix once earlier batches are done.
      if (count == 0) {
        return inFlight;
      }
    }
    if (count == ring.length) {
      grow();
    }
    ring[(head + count) & (ring.length - 1)] = inFlight;
    count++;
    footprintBytes += inFlight.footprintBytes();
    return inFlight;
  }

  /** The tracked batch with this LSN, or null (never delivered, or already fully acknowledged). */
  InFlightBatch find(long lsn) {
    int lo = 0;
    int hi = count - 1;
    int mask = ring.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      InFlightBatch b = ring[(head + mid) & mask];
      if (b.lsn < lsn) {
        lo = mid + 1;
      } else if (b.lsn > lsn) {
        hi = mid - 1;
      } else {
        return b;
      }
    }
    return null;
  }

  /**
   * Drops fully acknowledged batches from the front.
   *
   * @return true when the acknowledged prefix moved
   */
  boolean releaseAcknowledged() {
    boolean moved = false;
    int mask = ring.length - 1;
    while (count > 0 && ring[head].isComplete()) {
      footprintBytes -= ring[head].footprintBytes();
      ring[head] = null;
      head = (head + 1) & mask;
      count--;
      moved = true;
    }
    return moved;
  }

  /** Every batch with a lower LSN is acknowledged (or was never there). */
  long ackedPrefix() {
    return count == 0 ? endLsn : ring[head].lsn;
  }

  /** The LSN after the last batch tracked: where reading continues. */
  long endLsn() {
    return endLsn;
  }

  int inFlightBatches() {
    return count;
  }

  /** About what the bookkeeping of the tracked batches takes on the heap, ring included. */
  long footprintBytes() {
    return footprintBytes + 8L * ring.length;
  }

  /** Visits the tracked batches in LSN order; the visitor must not track or release. */
  void forEach(Consumer<InFlightBatch> visitor) {
    int mask = ring.length - 1;
    for (int i = 0; i < count; i++) {
      visitor.accept(ring[(head + i) & mask]);
    }
  }

  /** The first batch waiting for redelivery, or null. */
  InFlightBatch firstResendPending() {
    int mask = ring.length - 1;
    for (int i = 0; i < count; i++) {
      InFlightBatch b = ring[(head + i) & mask];
      if (b.resendPending) {
        return b;
      }
    }
    return null;
  }

  private void grow() {
    InFlightBatch[] bigger = new InFlightBatch[ring.length * 2];
    for (int i = 0; i < count; i++) {
      bigger[i] = ring[(head + i) & (ring.length - 1)];
    }
    Arrays.fill(ring, null);
    ring = bigger;
    head = 0;
  }
}
