package io.inlet.store.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fsyncs of one flush round, made at once from the {@code inlet-segment-sync} threads when
 * there are several (segments of several shards, and the shared journal), so the file system can
 * commit them together; a single one runs on the caller's thread.
 */
final class SegmentSyncs implements AutoCloseable {
  /** How many files are fsync'd at once. */
  private static final int THREADS = 16;

  private final SharedJournal journal; // null without one
  private final ExecutorService syncers;

  SegmentSyncs(SharedJournal journal) {
    this.journal = journal;
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

  @Override
  public void close() {
    syncers.shutdown();
  }
}
