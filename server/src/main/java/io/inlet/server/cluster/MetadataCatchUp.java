package io.inlet.server.cluster;

import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node is caught up with the replicated metadata, for {@code /ready}: a linearizable
 * read (Raft ReadIndex) every second. It succeeds only when a leader backed by a majority confirmed
 * its commit index and this node's replica has applied up to it, so a node that just started, is
 * still catching up, or is cut off with a minority is not ready; it turns ready (and back) on its
 * own.
 */
public final class MetadataCatchUp implements AutoCloseable {
  /** A namespace nothing writes: the read carries no data, only the round trip. */
  private static final String PROBE_NAMESPACE = "readiness-probe";

  private static final long EVERY_MS = 1000;

  private final ReplicatedMetadata metadata;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile String lag = "not yet caught up with a majority of the metadata nodes";

  private MetadataCatchUp(ReplicatedMetadata metadata) {
    this.metadata = metadata;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "metadata-catch-up");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts probing at once, then every second. */
  public static MetadataCatchUp start(ReplicatedMetadata metadata) {
    MetadataCatchUp catchUp = new MetadataCatchUp(metadata);
    catchUp.timer.scheduleWithFixedDelay(catchUp::probe, 0, EVERY_MS, TimeUnit.MILLISECONDS);
    return catchUp;
  }

  /** Why this node is not caught up, or empty when its last probe succeeded. */
  public Optional<String> lag() {
    return Optional.ofNullable(lag);
  }

  private void probe() {
    if (metadata.leaderId().isEmpty()) {
      // No read until an election: Ratis would log each refused read.
      lag =
          "no leader of the metadata group is known yet (a majority of the metadata nodes must run)";
      return;
    }
    if (!probing.compareAndSet(false, true)) {
      return; // the last probe still waits (up to the request timeout)
    }
    try {
      metadata
          .list(PROBE_NAMESPACE, ReadMode.LINEARIZABLE)
          .whenComplete(
              (entries, error) -> {
                lag = error == null ? null : reason(error);
                probing.set(false);
              });
    } catch (RuntimeException closed) {
      lag = reason(closed);
      probing.set(false);
    }
  }

  private static String reason(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
