package io.inlet.server.subscription;

/**
 * A batch delivered (or about to be redelivered) and not yet fully acknowledged: where it is and
 * one ack bit per record, never its payload; a redelivery reads the batch from the store again.
 * Confined to its subscription's lane.
 */
final class InFlightBatch {
  /** What one tracked batch costs beyond its ack bits: the object and its array's header. */
  private static final int OVERHEAD_BYTES = 64 + 16;

  final long shardId;
  final long lsn;
  final int size;

  private final long[] acked;
  private int ackedCount;

  /**
   * When the unacknowledged records are due for redelivery (on the subscription's {@link Ticker}).
   */
  long deadlineNanos;

  /** Waiting to be sent again: its ack timeout expired or its consumer left. */
  boolean resendPending;

  /**
   * @param size the batch's record count, as checked when it was read
   */
  InFlightBatch(long shardId, long lsn, int size) {
    this.shardId = shardId;
    this.lsn = lsn;
    this.size = size;
    this.acked = new long[(size + 63) >>> 6];
  }

  /** About what this bookkeeping takes on the heap. */
  long footprintBytes() {
    return OVERHEAD_BYTES + 8L * acked.length;
  }

  /**
   * Marks one record acknowledged.
   *
   * @return true when the record was not acknowledged before; false for a duplicate or an index
   *     outside the batch
   */
  boolean ack(int index) {
    if (index < 0 || index >= size) {
      return false;
    }
    long bit = 1L << index;
    int word = index >>> 6;
    if ((acked[word] & bit) != 0) {
      return false;
    }
    acked[word] |= bit;
    ackedCount++;
    return true;
  }

  /**
   * Marks every record acknowledged (the batch is gone from the store: nothing can be redelivered).
   *
   * @return how many records this acknowledged
   */
  int ackAll() {
    int newly = size - ackedCount;
    for (int i = 0; i < size; i++) {
      acked[i >>> 6] |= 1L << i;
    }
    ackedCount = size;
    return newly;
  }

  boolean isAcked(int index) {
    return (acked[index >>> 6] & (1L << index)) != 0;
  }

  boolean isComplete() {
    return ackedCount == size;
  }

  int ackedCount() {
    return ackedCount;
  }

  int unackedCount() {
    return size - ackedCount;
  }
}
