package io.inlet.server.connect;

import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the machine's MariaDB server ({@code /usr/sbin/mariadbd}) with Debian's {@code
 * start-stop-daemon}, as {@code .ci/cdc-databases.sh} does, for tests that restart the database
 * under a running connector. Needs root and a local MariaDB; otherwise the test is skipped, or
 * fails in CI ({@link RequiredServices}).
 */
final class MariaDbDaemon {
  private static final Path DAEMON = Path.of("/usr/sbin/mariadbd");
  private static final Path START_STOP = Path.of("/usr/sbin/start-stop-daemon");

  private MariaDbDaemon() {}

  /** Skips (or fails) the test when this process cannot stop and start the local MariaDB. */
  static void requireControl() {
    String host = CdcDatabases.host(CdcDatabases.mariadb());
    boolean local = host.equals("127.0.0.1") || host.equals("localhost");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (local && root && Files.isExecutable(DAEMON) && Files.isExecutable(START_STOP)) {
      return;
    }
    String message =
        "restarting MariaDB needs root, a local MariaDB ("
            + DAEMON
            + ") and "
            + START_STOP
            + " (found: host "
            + host
            + ", user "
            + System.getProperty("user.name")
            + ")";
    throw RequiredServices.missing(message);
  }

  /** Stops the server (SIGTERM, then waits for it to exit). */
  static void stop() throws IOException, InterruptedException {
    run(
        List.of(
            START_STOP.toString(),
            "--stop",
            "--oknodo",
            "--retry",
            "TERM/60/KILL/5",
            "--exec",
            DAEMON.toString()));
  }

  /** Starts the server (does nothing when it runs) and waits until it accepts connections. */
  static void start() throws IOException, InterruptedException {
    run(
        List.of(
            START_STOP.toString(),
            "--start",
            "--oknodo",
            "--background",
            "--exec",
            DAEMON.toString()));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try (Connection c = CdcDatabases.mariadbRoot()) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("MariaDB did not come back within 120 s", e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end within 90 s");
    }
    String output = new String(process.getInputStream().readAllBytes());
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command + " exited with " + process.exitValue() + ": " + output);
    }
  }
}
