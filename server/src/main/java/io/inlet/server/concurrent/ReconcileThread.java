package io.inlet.server.concurrent;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that brings a node's tasks (connectors, queries) in line with the cluster's
 * metadata: one round every {@link #INTERVAL} until it is interrupted. A round that fails (the
 * metadata has no majority while the cluster starts or has lost nodes) is simply tried again at the
 * next; the failure is logged once per outage.
 */
public final class ReconcileThread {
  private static final Logger log = LoggerFactory.getLogger(ReconcileThread.class);

  /** How often a round runs. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  private ReconcileThread() {}

  /**
   * Starts the thread.
   *
   * @param name the thread's name
   * @param what what is reconciled, for the log ("connectors", "queries")
   */
  public static Thread start(String name, String what, Runnable round) {
    Thread thread = new Thread(() -> run(what, round), name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void run(String what, Runnable round) {
    boolean failing = false;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        round.run();
        failing = false;
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("{} not reconciled with the cluster's metadata: {}", what, e.getMessage());
        }
        failing = true;
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
