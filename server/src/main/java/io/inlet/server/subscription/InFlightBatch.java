package io.inlet.server.subscription;

import io.inlet.api.hstream.BatchedRecord;

/**
 * A batch delivered (or about to be redelivered) and not yet fully acknowledged, with one ack bit
 * per record. Confined to its subscription's lane.
 */
final class InFlightBatch {
  final long shardId;
  final long lsn;
  final int size;

  /** The batch as stored: what redelivery sends again, or re-encodes when partly acknowledged. */
  final BatchedRecord batch;

  private final long[] acked;
  private int ackedCount;

  /** When the unacknowledged records are due for redelivery ({@link System#nanoTime()}). */
  long deadlineNanos;

  /** Waiting to be sent again: its ack timeout expired or its consumer left. */
  boolean resendPending;

  InFlightBatch(long shardId, long lsn, BatchedRecord batch) {
    this.shardId = shardId;
    this.lsn = lsn;
    this.size = batch.getBatchSize();
    this.batch = batch;
    this.acked = new long[(size + 63) >>> 6];
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
