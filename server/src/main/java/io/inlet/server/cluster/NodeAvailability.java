package io.inlet.server.cluster;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state a node gossips true to whether it takes writes: once a second it asks why the
 * node refuses writes (its store or its replica store after a failed write, a full disk) and tells
 * {@link NodeMembership}, which gossips Unavailable while there is a reason and Running once there
 * is none. A store reopens itself once space is freed, so the node comes back on its own.
 */
public final class NodeAvailability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAvailability.class);
  private static final long CHECK_MS = 1000;

  private final ScheduledExecutorService checker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "node-availability");
            thread.setDaemon(true);
            return thread;
          });

  private NodeAvailability() {}

  /**
   * Starts checking {@code writesRefused} now and every second after.
   *
   * @param writesRefused why this node refuses writes now; empty while it takes them
   */
  public static NodeAvailability watch(
      NodeMembership membership, Supplier<Optional<String>> writesRefused) {
    NodeAvailability availability = new NodeAvailability();
    availability.checker.scheduleWithFixedDelay(
        () -> check(membership, writesRefused), 0, CHECK_MS, TimeUnit.MILLISECONDS);
    return availability;
  }

  private static void check(NodeMembership membership, Supplier<Optional<String>> writesRefused) {
    try {
      membership.reportWritesRefused(writesRefused.get());
    } catch (RuntimeException e) {
      log.warn("could not gossip this node's state; trying again in {} ms", CHECK_MS, e);
    }
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
