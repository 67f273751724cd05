package io.inlet.server.subscription;

/**
 * Flow control for one subscription: how many delivered records are not acknowledged yet, against
 * its {@code maxUnackedRecords}. New batches go out only while there is room; the batch that
 * crosses the limit still goes out whole (as in HStreamDB), so the count may overshoot by less than
 * one batch. Redeliveries do not count again. Lane only.
 */
final class DeliveryWindow {
  private final int maxUnacked;
  private long outstanding;

  DeliveryWindow(int maxUnacked) {
    this.maxUnacked = maxUnacked;
  }

  boolean hasRoom() {
    return outstanding < maxUnacked;
  }

  void delivered(int records) {
    outstanding += records;
  }

  /**
   * @return true when this opened the window again (delivery should resume)
   */
  boolean acknowledged(int records) {
    boolean wasFull = !hasRoom();
    outstanding -= records;
    return wasFull && hasRoom();
  }

  long outstanding() {
    return outstanding;
  }
}
