package io.inlet.cdc.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector's running totals since the node started: records and bytes delivered (into the stream
 * for a source, into the table for a sink), records sent to the dead-letter stream, failures, and
 * the lag of the last delivered batch (when it became durable minus when the database committed its
 * last change, for a source; when it was committed to the table minus when it was appended to the
 * stream, for a sink). Thread-safe.
 */
public final class ConnectorStats {
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong lagMs = new AtomicLong();

  public void delivered(long recordCount, long byteCount, long lagMillis) {
    records.addAndGet(recordCount);
    bytes.addAndGet(byteCount);
    lagMs.set(Math.max(0, lagMillis));
  }

  public void deadLettered(long recordCount) {
    deadLettered.addAndGet(recordCount);
  }

  public void failed() {
    errors.incrementAndGet();
  }

  public long records() {
    return records.get();
  }

  public long bytes() {
    return bytes.get();
  }

  public long deadLetteredRecords() {
    return deadLettered.get();
  }

  public long errors() {
    return errors.get();
  }

  public long lagMs() {
    return lagMs.get();
  }
}
