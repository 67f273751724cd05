package io.inlet.store.segment;

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
 * Brings a segment log back after a failed write (a full disk, too many open files, an I/O error),
 * after which it takes no appends. Once a second, while the log is failed and its file system has
 * {@link #HEADROOM_BYTES} free, its owner reopens it ({@link Exclusive}) with everything that reads
 * or appends through it kept away: recovery cuts whatever the failed appends left, so nothing of
 * them stays. Meanwhile it says why writes are refused and what brings them back, for append errors
 * and readiness probes.
 */
public final class SegmentLogReopener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SegmentLogReopener.class);

  /** Free space the log's file system needs before a reopen is tried. */
  public static final long HEADROOM_BYTES = 4L << 20;

  /** How the log's owner reopens it. */
  @FunctionalInterface
  public interface Exclusive {
    /**
     * Runs {@code reopen} (which calls {@link SegmentLog#reopen()}) while nothing else reads or
     * appends through the log, and whatever the owner keeps about the log's contents is dropped or
     * rebuilt after it.
     *
     * @return false when that access cannot be had now: the reopen is tried again a second later
     */
    boolean run(Runnable reopen) throws InterruptedException;
  }

  private final SegmentLog segments;
  private final String owner;
  private final Exclusive exclusive;
  private final ScheduledExecutorService timer;
  private boolean waitingForRoom; // timer thread only

  /**
   * Starts looking once a second.
   *
   * @param owner what refuses writes, for messages (e.g. "the store")
   */
  public SegmentLogReopener(SegmentLog segments, String owner, Exclusive exclusive) {
    this.segments = segments;
    this.owner = owner;
    this.exclusive = exclusive;
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
  public Optional<String> writesRefused() {
    SegmentLogException failure = segments.failure();
    if (failure == null) {
      return Optional.empty();
    }
    return Optional.of(
        owner
            + " refuses writes after a failed write ("
            + FileFailures.describe(failure)
            + ")"
            + resumeHint());
  }

  /** The message for an append the segment log failed: why, that nothing was kept, what follows. */
  public String appendFailed(Throwable cause) {
    return "cannot append in "
        + segments.directory()
        + ": "
        + FileFailures.describe(cause)
        + "; nothing was written"
        + resumeHint();
  }

  private String resumeHint() {
    long free = freeBytes();
    return free >= HEADROOM_BYTES
        ? "; " + owner + " reopens its segment log within a second and writes resume"
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
            FileFailures.describe(failure),
            resumeHint());
      }
      return;
    }
    waitingForRoom = false;
    try {
      if (exclusive.run(segments::reopen)) {
        log.info(
            "segment log in {} reopened after a failed write ({}); writes resume",
            segments.directory(),
            FileFailures.describe(failure));
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
