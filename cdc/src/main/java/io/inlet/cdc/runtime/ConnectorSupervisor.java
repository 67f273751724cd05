package io.inlet.cdc.runtime;

import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connector's task on a thread of its own and keeps it running: when the task fails (the
 * database went away, the stream refused a write) the status turns FAILED with the cause and the
 * time, and a fresh task starts after a backoff that doubles up to a maximum; once it runs again
 * the status is RUNNING and the backoff starts over. Pausing stops the task and keeps it stopped.
 */
public final class ConnectorSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ConnectorSupervisor.class);

  private final String name;
  private final Supplier<ConnectorTask> tasks;
  private final Backoff backoff;
  private final ConnectorLog connectorLog;
  private final ConnectorStats stats;
  private final Object lock = new Object();
  private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorStatus.State.NEW);
  private boolean wanted; // guarded by lock
  private ConnectorTask current; // guarded by lock
  private Thread thread; // guarded by lock

  public ConnectorSupervisor(
      String name,
      Supplier<ConnectorTask> tasks,
      long backoffInitialMs,
      long backoffMaxMs,
      ConnectorLog connectorLog,
      ConnectorStats stats) {
    this.name = name;
    this.tasks = tasks;
    this.backoff = new Backoff(backoffInitialMs, backoffMaxMs);
    this.connectorLog = connectorLog;
    this.stats = stats;
  }

  public ConnectorStatus status() {
    return status;
  }

  /** Shows PAUSED for a connector loaded paused (never started). */
  public void markPaused() {
    status = ConnectorStatus.of(ConnectorStatus.State.PAUSED);
  }

  /** Starts the task (status NEW until it runs); does nothing when already started. */
  public void start() {
    synchronized (lock) {
      if (wanted) {
        return;
      }
      awaitStopped();
      wanted = true;
      status = ConnectorStatus.of(ConnectorStatus.State.NEW);
      thread = new Thread(this::loop, "inlet-connector-" + name);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Stops the task and waits for it; the status is PAUSED. */
  public void pause() {
    stop();
    status = ConnectorStatus.of(ConnectorStatus.State.PAUSED);
    connectorLog.add("paused");
  }

  /** Stops the task and waits for it to end (for delete and shutdown). Idempotent. */
  public void stop() {
    synchronized (lock) {
      wanted = false;
      if (current != null) {
        current.stop();
      }
      lock.notifyAll();
    }
    synchronized (lock) {
      awaitStopped();
    }
  }

  private void awaitStopped() {
    Thread running = thread;
    if (running == null || running == Thread.currentThread()) {
      return;
    }
    try {
      while (running.isAlive()) {
        lock.wait(100);
        if (!wanted && current != null) {
          current.stop();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }

  private void loop() {
    while (true) {
      ConnectorTask task;
      synchronized (lock) {
        if (!wanted) {
          break;
        }
        task = tasks.get();
        current = task;
      }
      connectorLog.add("starting");
      Throwable failure = null;
      try {
        task.run(this::running);
      } catch (Throwable e) {
        failure = e;
      }
      synchronized (lock) {
        current = null;
        if (!wanted) {
          break;
        }
      }
      String cause = failure == null ? "the task ended by itself" : describe(failure);
      status = ConnectorStatus.failed(cause, Instant.now());
      stats.failed();
      long delay = backoff.next();
      connectorLog.add("FAILED: " + cause + "; restarting in " + delay + " ms");
      log.warn("connector {} failed: {}; restarting in {} ms", name, cause, delay);
      synchronized (lock) {
        long until = System.currentTimeMillis() + delay;
        try {
          while (wanted && System.currentTimeMillis() < until) {
            lock.wait(Math.max(1, until - System.currentTimeMillis()));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private void running() {
    backoff.reset();
    status = ConnectorStatus.of(ConnectorStatus.State.RUNNING);
    connectorLog.add("running");
    log.info("connector {} running", name);
  }

  /** The failure's message and its root cause, on one line. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (root == failure || root.getMessage() == null || top.contains(root.getMessage())) {
      return top;
    }
    return top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
