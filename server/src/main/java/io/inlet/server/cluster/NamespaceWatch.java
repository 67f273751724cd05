package io.inlet.server.cluster;

import io.inlet.cluster.metadata.ReplicatedMetadata;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a component that a namespace of the replicated metadata changed, so that it reads it again:
 * on a metadata node after each change it applies to that namespace (changes arriving while the
 * component reads are folded into one more read), elsewhere every {@link #POLL_SECONDS} seconds,
 * since a node outside {@code metadata-nodes} applies no changes to listen to. The component runs
 * on the watch's own thread, never on the metadata's apply thread.
 */
final class NamespaceWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NamespaceWatch.class);
  static final long POLL_SECONDS = 5;
  private static final long FIRST_READ_RETRY_MS = 1000;

  private final String namespace;
  private final Runnable changed;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AutoCloseable listening;

  private NamespaceWatch(ReplicatedMetadata metadata, String namespace, Runnable changed) {
    this.namespace = namespace;
    this.changed = changed;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "inlet-metadata-watch-" + namespace);
              t.setDaemon(true);
              return t;
            });
    if (metadata.isVoter()) {
      listening =
          metadata.addListener(
              change -> {
                if (change.namespace().equals(namespace)) {
                  readAgain();
                }
              });
    } else {
      thread.scheduleWithFixedDelay(this::run, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
      listening = () -> {};
    }
    thread.execute(this::firstRead);
  }

  /** Reads once at start, and again every second until a read succeeds. */
  private void firstRead() {
    try {
      changed.run();
      log.info("metadata namespace {} read", namespace);
    } catch (RuntimeException e) {
      log.info("metadata namespace {} not read yet ({}); retrying", namespace, e.getMessage());
      thread.schedule(this::firstRead, FIRST_READ_RETRY_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Watches {@code namespace}; {@code changed} runs after each change (or poll). */
  static NamespaceWatch start(ReplicatedMetadata metadata, String namespace, Runnable changed) {
    return new NamespaceWatch(metadata, namespace, changed);
  }

  private void readAgain() {
    if (queued.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            queued.set(false);
            run();
          });
    }
  }

  private void run() {
    try {
      changed.run();
    } catch (RuntimeException e) {
      log.warn("reading the metadata namespace {} again failed: {}", namespace, e.toString());
    }
  }

  @Override
  public void close() throws Exception {
    listening.close();
    thread.shutdownNow();
  }
}
