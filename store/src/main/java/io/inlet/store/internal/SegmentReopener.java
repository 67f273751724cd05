package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the segment log of a store back after a failed write (a full disk, too many open files, an
 * I/O error), after which it takes no appends. Once a second, while the log is failed and its file
 * system has {@link #HEADROOM_BYTES} free, it is reopened with every read and append of the store
 * kept away ({@link StoreGate#exclusive}): recovery cuts whatever the failed appends left, so
 * nothing of them stays. Meanwhile it says why writes are refused and what brings them back, for
 * append errors and {@code /ready}.
 */
final class SegmentReopener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SegmentReopener.class);

  /** Free space the log's file system needs before a reopen is tried. */
  static final long HEADROOM_BYTES = 4L << 20;

  private final SegmentLog segments;
  private final StoreGate gate;
  private final ScheduledExecutorService timer;
  private boolean waitingForRoom; // timer thread only

  SegmentReopener(SegmentLog segments, StoreGate gate) {
    this.segments = segments;
    this.gate = gate;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-segment-reopen");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::reopenIfFailed, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Why the segment log refuses writes now, with what makes them resume; empty while it takes them.
   */
  Optional<String> writesRefused() {
    SegmentLogException failure = segments.failure();
    if (failure == null) {
      return Optional.empty();
    }
    return Optional.of(
        "the store refuses writes after a failed write ("
            + StoreErrors.describe(failure)
            + ")"
            + resumeHint());
  }

  /** The error of an append the segment log failed: why, that nothing was kept, what follows. */
  StoreUnavailableException appendFailed(Throwable cause) {
    return new StoreUnavailableException(
        "cannot append in "
            + segments.directory()
            + ": "
            + StoreErrors.describe(cause)
            + "; nothing was written"
            + resumeHint(),
        cause);
  }

  private String resumeHint() {
    long free = freeBytes();
    return free >= HEADROOM_BYTES
        ? "; the store reopens its segment log within a second and writes resume"
        : "; writes resume once the file system of "
            + segments.directory()
            + " has "
            + mib(HEADROOM_BYTES)
            + " free; it has "
            + mib(free)
            + " now";
  }

  private void reopenIfFailed() {
    SegmentLogException failure = segments.failure();
    if (failure == null) {
      return;
    }
    long free = freeBytes();
    if (free < HEADROOM_BYTES) {
      if (!waitingForRoom) {
        waitingForRoom = true;
        log.warn(
            "segment log in {} refuses writes after: {}{}",
            segments.directory(),
            StoreErrors.describe(failure),
            resumeHint());
      }
      return;
    }
    waitingForRoom = false;
    try {
      if (gate.exclusive(1, TimeUnit.SECONDS, segments::reopen)) {
        log.info(
            "segment log in {} reopened after a failed write ({}); writes resume",
            segments.directory(),
            StoreErrors.describe(failure));
      }
    } catch (SegmentLogException e) {
      log.warn("{}; retrying in 1 s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("reopening the segment log in {} failed; retrying in 1 s", segments.directory(), e);
    }
  }

  private long freeBytes() {
    Path dir = segments.directory();
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** Stops trying; a reopen under way finishes first. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
