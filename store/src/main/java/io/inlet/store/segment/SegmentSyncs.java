package io.inlet.store.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fsyncs of one flush round, made at once from the {@code inlet-segment-sync} threads when
 * there are several (segments of several shards, and the shared journal), so the file system can
 * commit them together; a single one runs on the caller's thread. Also the background write-backs
 * of the segments the shared journal covers ({@link #writeBack}).
 */
final class SegmentSyncs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SegmentSyncs.class);

  /** How many files are fsync'd at once. */
  private static final int THREADS = 16;

  private final SharedJournal journal; // null without one
  private final WriterMeters meters;
  private final ExecutorService syncers;
  private final AtomicBoolean writingBack = new AtomicBoolean();

  SegmentSyncs(SharedJournal journal, WriterMeters meters) {
    this.journal = journal;
    this.meters = meters;
    AtomicInteger count = new AtomicInteger();
    this.syncers =
        Executors.newFixedThreadPool(
            THREADS, r -> new Thread(r, "inlet-segment-sync-" + count.incrementAndGet()));
  }

  /** Syncs the segments up to the points, and the journal if asked, all at once. */
  void force(Collection<ShardSegments.SyncPoint> points, boolean syncJournal) throws IOException {
    if (points.size() + (syncJournal ? 1 : 0) == 1) {
      if (syncJournal) {
        journal.force();
      } else {
        points.iterator().next().force();
      }
      return;
    }
    List<Future<?>> syncs = new ArrayList<>(points.size() + 1);
    for (ShardSegments.SyncPoint point : points) {
      syncs.add(
          syncers.submit(
              () -> {
                point.force();
                return null;
              }));
    }
    if (syncJournal) {
      syncs.add(
          syncers.submit(
              () -> {
                journal.force();
                return null;
              }));
    }
    IOException failed = null;
    for (Future<?> sync : syncs) {
      try {
        sync.get();
      } catch (ExecutionException e) {
        if (failed == null) {
          failed = new IOException("an fsync failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = new IOException("interrupted while waiting for an fsync", e);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * Starts fdatasyncs of {@code segments} on a sync thread and returns at once; skipped while the
   * last write-back still runs. A write-back moves nothing: durability stays with the journal until
   * a checkpoint syncs the segments, which then finds little left to write (the writer takes no
   * appends during a checkpoint). A failed write-back fails every later sync of its segment, so
   * that checkpoint fails instead of trusting a sync that may not have written what the failed one
   * dropped; the log's reopen then writes those bytes again.
   */
  void writeBack(List<SegmentFile> segments) {
    if (segments.isEmpty() || !writingBack.compareAndSet(false, true)) {
      return;
    }
    try {
      syncers.execute(
          () -> {
            long started = System.nanoTime();
            try {
              for (SegmentFile segment : segments) {
                segment.writeBack();
              }
              meters.wroteBack(segments.size(), System.nanoTime() - started);
            } catch (IOException | RuntimeException e) {
              log.warn(
                  "a background write-back of segments failed; the next checkpoint fails and the"
                      + " log is reopened",
                  e);
            } finally {
              writingBack.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      writingBack.set(false); // closing
    }
  }

  @Override
  public void close() {
    syncers.shutdown();
  }
}
