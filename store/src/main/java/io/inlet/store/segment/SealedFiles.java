package io.inlet.store.segment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The open files of a log's sealed segments, at most {@link #limit} between reads: when one more
 * opens, the least recently read that no reader uses now is closed ({@link
 * SegmentChannel#closeIfIdle}) and opened again by its next read. Without it a node keeps one file
 * per sealed segment open for good, and a long retention reaches the process's open-file limit.
 *
 * <p>Lock order: a segment never calls in here while holding its own lock; this class calls a
 * segment's (closing it) while holding its own.
 */
final class SealedFiles {
  private final int limit;
  // Access order: the eldest is the least recently read.
  private final LinkedHashMap<SegmentChannel, Boolean> open = new LinkedHashMap<>(64, 0.75f, true);

  SealedFiles(int limit) {
    this.limit = limit;
  }

  /** A sealed segment's file was opened or read: it becomes the most recent; others may close. */
  synchronized void used(SegmentChannel segment) {
    open.put(segment, Boolean.TRUE);
    closeBeyondLimit(segment);
  }

  /**
   * A read of a sealed segment ended: if more are open than the limit (reads held them open when
   * others opened), the least recently read idle ones close now.
   */
  synchronized void released() {
    closeBeyondLimit(null);
  }

  private void closeBeyondLimit(SegmentChannel keep) {
    if (open.size() <= limit) {
      return;
    }
    List<SegmentChannel> closed = new ArrayList<>();
    Iterator<SegmentChannel> eldest = open.keySet().iterator();
    while (open.size() - closed.size() > limit && eldest.hasNext()) {
      SegmentChannel candidate = eldest.next();
      if (candidate != keep && candidate.closeIfIdle()) {
        closed.add(candidate);
      }
    }
    closed.forEach(open::remove);
  }

  /** A segment's file was closed for good, or the segment became active: no longer counted. */
  synchronized void forget(SegmentChannel segment) {
    open.remove(segment);
  }

  /** Sealed segments whose file is open now. */
  synchronized int openCount() {
    return open.size();
  }
}
