package io.inlet.cdc.source;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Consumer;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Notices that a running source lost its change stream from the database, which Debezium does not
 * always report: when MariaDB or MySQL closes the binlog connection cleanly (a server shutdown),
 * Debezium's binlog client raises no error and only tries again at its keep-alive interval (a
 * minute), so the connector would look RUNNING while it delivers nothing. This watch reads
 * Debezium's streaming metrics (JMX) once a second; once streaming has begun (it was connected, or
 * a binlog position was set), a disconnection lasting {@link #GRACE_MS} is reported as a failure,
 * and the supervisor restarts the connector with backoff (from its stored offsets) until the
 * database is back. (PostgreSQL's and SQL Server's connectors report a lost connection themselves.)
 *
 * <p>Not thread-safe: {@link #check()} is called from one thread.
 */
final class StreamingConnectionWatch {
  static final long GRACE_MS = 5_000;

  private final String connector;
  private final Consumer<String> lost;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private boolean streaming;
  private long disconnectedSince = -1;

  /**
   * @param connector the connector name (Debezium's {@code topic.prefix}, its metrics' {@code
   *     server})
   * @param lost told once, with the reason, when the stream stayed disconnected too long
   */
  StreamingConnectionWatch(String connector, Consumer<String> lost) {
    this.connector = connector;
    this.lost = lost;
  }

  /** One look; reports the loss at most once. */
  void check() {
    Optional<ObjectName> metrics = streamingMetrics();
    if (metrics.isEmpty()) {
      return; // the engine has not started its sources yet, or is stopping
    }
    boolean connected = Boolean.TRUE.equals(attribute(metrics.get(), "Connected"));
    // A binlog source has a file name (possibly empty, with GTIDs) once streaming has begun.
    streaming |= connected || attribute(metrics.get(), "BinlogFilename") != null;
    long now = System.currentTimeMillis();
    if (connected || !streaming) {
      disconnectedSince = -1;
      return;
    }
    if (disconnectedSince < 0) {
      disconnectedSince = now;
    } else if (now - disconnectedSince >= GRACE_MS) {
      long seconds = (now - disconnectedSince) / 1000;
      streaming = false;
      disconnectedSince = -1;
      lost.accept(
          "the change stream from the database is disconnected for "
              + seconds
              + " s (the database is down or closed the connection)");
    }
  }

  private Optional<ObjectName> streamingMetrics() {
    try {
      for (ObjectName name : server.queryNames(new ObjectName("debezium.*:*"), null)) {
        if ("streaming".equals(name.getKeyProperty("context"))
            && connector.equals(name.getKeyProperty("server"))) {
          return Optional.of(name);
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException("the JMX pattern is valid", e);
    }
    return Optional.empty();
  }

  /** The attribute's value; null when it is null, missing, or the metrics went away. */
  private Object attribute(ObjectName name, String attribute) {
    try {
      return server.getAttribute(name, attribute);
    } catch (JMException | RuntimeException e) {
      return null;
    }
  }
}
