package io.inlet.server.grpc;

import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A read position in one shard that moves forward as batches are handed out, and knows where the
 * read ends. Not thread-safe: each owner confines it (a reader's queue, a streaming call's serial
 * executor).
 */
final class ShardCursor {
  private final long shardId;
  private final ReadBound until;
  private long nextLsn;
  private int nextIndex;
  private boolean done;

  ShardCursor(long shardId, RecordPosition start, ReadBound until) {
    this.shardId = shardId;
    this.nextLsn = start.lsn();
    this.nextIndex = start.index();
    this.until = until;
  }

  long shardId() {
    return shardId;
  }

  /** The LSN after the last batch handed out: {@link ShardLog#awaitBeyond} waits past it. */
  long lastSeenLsn() {
    return nextLsn - 1;
  }

  /** Where the cursor reads next. */
  RecordPosition position() {
    return new RecordPosition(nextLsn, nextIndex);
  }

  /** Whether the read reached its end: nothing more will ever be handed out. */
  boolean done() {
    return done;
  }

  /** The bound's time when the read ends at a time still to come, else -1. */
  long endsAtMs() {
    return until.kind() == ReadBound.Kind.TIME && !done ? until.timestampMs() : -1;
  }

  /** A batch part the cursor hands out: the batch and the range of its records. */
  record Slice(StoredEntry batch, int from, int to) {
    int count() {
      return to - from;
    }
  }

  /**
   * The next batches, up to {@code maxBatches} and, past the first, up to {@code maxRecords}
   * records in all; the cursor moves past them. Empty when nothing is available yet or the read is
   * done.
   */
  List<Slice> next(ShardLog log, int maxBatches, long maxRecords) {
    List<Slice> out = new ArrayList<>();
    if (done) {
      return out;
    }
    if (until.kind() == ReadBound.Kind.RECORD && nextLsn > until.lsn()) {
      done = true;
      return out;
    }
    List<StoredEntry> batches = log.read(shardId, nextLsn, maxBatches);
    long records = 0;
    for (StoredEntry batch : batches) {
      if (until.kind() == ReadBound.Kind.RECORD && batch.lsn() > until.lsn()) {
        done = true;
        break;
      }
      if (until.kind() == ReadBound.Kind.TIME && batch.appendTimeMs() > until.timestampMs()) {
        done = true;
        break;
      }
      int from = batch.lsn() == nextLsn ? nextIndex : 0;
      int to = Batches.size(batch);
      boolean last = false;
      if (until.kind() == ReadBound.Kind.RECORD && batch.lsn() == until.lsn()) {
        to = (int) Math.min(to, (long) until.index() + 1);
        last = true;
      }
      if (!out.isEmpty() && records + (to - from) > maxRecords) {
        break;
      }
      nextLsn = batch.lsn() + 1;
      nextIndex = 0;
      if (to > from) {
        out.add(new Slice(batch, from, to));
        records += to - from;
      }
      if (last) {
        done = true;
        break;
      }
    }
    if (out.isEmpty() && !done) {
      checkEnd(log, batches.isEmpty());
    }
    return out;
  }

  /** With nothing to hand out: whether the end was reached even though no batch shows it. */
  private void checkEnd(ShardLog log, boolean caughtUp) {
    if (!caughtUp) {
      return;
    }
    if (until.kind() == ReadBound.Kind.RECORD) {
      ShardPosition position = log.position(shardId);
      if (position.lastLsn() >= until.lsn()) {
        done = true; // the end lies in a trimmed range
      }
    } else if (until.kind() == ReadBound.Kind.TIME
        && System.currentTimeMillis() > until.timestampMs()) {
      done = true; // every later append is stamped after the bound
    }
  }
}
