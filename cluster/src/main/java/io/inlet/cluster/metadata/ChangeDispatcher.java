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

  void publish(List<MetadataChange> changes) {
    try {
      thread.execute(() -> changes.forEach(this::deliver));
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
