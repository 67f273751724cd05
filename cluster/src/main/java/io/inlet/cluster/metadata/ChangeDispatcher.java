package io.inlet.cluster.metadata;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands applied changes to the listeners on one thread of its own, in log order, so the Raft apply
 * thread never waits for a listener and a failing listener does not stop the others.
 */
final class ChangeDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeDispatcher.class);

  private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
  private long delivered = -1; // the last index handed to the listeners; listener thread only
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "inlet-metadata-listeners");
            t.setDaemon(true);
            return t;
          });

  AutoCloseable add(MetadataListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Hands {@code changes} (of one entry or one snapshot: one index) to the listeners, unless they
   * have heard that index already: a voter's restarted Raft server applies again what it had
   * applied before.
   */
  void publish(List<MetadataChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    long index = changes.get(0).index();
    try {
      thread.execute(
          () -> {
            if (index > delivered) {
              delivered = index;
              changes.forEach(this::deliver);
            }
          });
    } catch (RejectedExecutionException closed) {
      // Closing: nobody is listening any more.
    }
  }

  private void deliver(MetadataChange change) {
    for (MetadataListener listener : listeners) {
      try {
        listener.onChange(change);
      } catch (RuntimeException e) {
        LOG.error("A metadata listener failed on a change of '{}'", change.namespace(), e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }
}
