package io.inlet.server.subscription;

/**
 * Flow control for one subscription: how many delivered records are not acknowledged yet, against
 * the smaller of its {@code maxUnackedRecords} and the server's {@code
 * subscription-max-unacked-records}, and against the node's budget. New batches go out only while
 * there is room; the batch that crosses the limit still goes out whole (as in HStreamDB), so the
 * count may overshoot by less than one batch. Redeliveries do not count again. Lane only.
 */
final class DeliveryWindow {
  private final long maxUnacked;
  private final NodeUnackedBudget node;
  private final Runnable wake;
  private long outstanding;

  /**
   * @param wake asks the subscription's lane to deliver again, once the node has room
   */
  DeliveryWindow(long maxUnacked, NodeUnackedBudget node, Runnable wake) {
    this.maxUnacked = maxUnacked;
    this.node = node;
    this.wake = wake;
  }

  boolean hasRoom() {
    return outstanding < maxUnacked && node.hasRoom(wake);
  }

  void delivered(int records) {
    outstanding += records;
    node.delivered(records);
  }

  /**
   * @return true when this opened the window again (delivery should resume)
   */
  boolean acknowledged(int records) {
    boolean wasFull = outstanding >= maxUnacked;
    outstanding -= records;
    node.released(records);
    return wasFull && outstanding < maxUnacked;
  }

  /** Hands every outstanding record back to the node (the subscription stopped). */
  void releaseAll() {
    node.released(outstanding);
    outstanding = 0;
  }

  long outstanding() {
    return outstanding;
  }
}
