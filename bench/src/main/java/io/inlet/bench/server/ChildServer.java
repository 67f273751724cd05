package io.inlet.bench.server;

import io.inlet.server.ServerCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * An Inlet server in a child process on a loopback port picked here, writing its output to a log
 * file. {@link #close()} stops it the way an operator would (SIGTERM, so the server shuts down
 * cleanly) and kills it only if it has not exited after {@link #STOP_TIMEOUT}.
 */
public final class ChildServer implements BenchTarget {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
  private static final String HOST = "127.0.0.1";

  /**
   * How to start the server.
   *
   * @param serverCommand a launcher such as the distribution's {@code bin/inlet}; null runs {@link
   *     ServerCommand} in a JVM with this process's classpath
   * @param jvmOptions JVM options (for a launcher, passed as {@code INLET_JAVA_OPTS} and {@code
   *     JAVA_OPTS})
   * @param serverArgs extra arguments after {@code --data-dir} and {@code --grpc-port}
   * @param gcLog whether to write a GC log beside the server log
   * @param mainClass the class run when there is no launcher: {@link ServerCommand}, or a stand-in
   */
  public record Launch(
      Path serverCommand,
      List<String> jvmOptions,
      List<String> serverArgs,
      boolean gcLog,
      String mainClass) {}

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final Path logFile;
  private final long spawnNanos;
  private Duration stopDuration;

  private ChildServer(Process process, int port, Path dataDir, Path logFile, long spawnNanos) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.spawnNanos = spawnNanos;
  }

  /** Starts the process and returns at once; see {@link #awaitReady(Duration)}. */
  public static ChildServer spawn(Launch launch, Path dataDir, Path logFile) {
    int port = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    ProcessBuilder builder = new ProcessBuilder(command);
    List<String> jvmOptions = new ArrayList<>(launch.jvmOptions());
    if (launch.gcLog()) {
      jvmOptions.add(
          "-Xlog:gc*,safepoint:file="
              + logFile.resolveSibling(logFile.getFileName() + ".gc.log")
              + ":time,uptime");
    }
    if (launch.serverCommand() != null) {
      command.add(launch.serverCommand().toString());
      command.add("server");
      // ./inlet reads INLET_JAVA_OPTS; must not rebuild in the middle of a measurement.
      builder.environment().put("INLET_JAVA_OPTS", String.join(" ", jvmOptions));
      builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
      builder.environment().put("INLET_NO_BUILD", "1");
    } else {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(launch.mainClass());
    }
    command.addAll(List.of("--data-dir", dataDir.toString(), "--grpc-port", String.valueOf(port)));
    command.addAll(launch.serverArgs());
    builder.redirectErrorStream(true).redirectOutput(Redirect.appendTo(logFile.toFile()));
    try {
      // The data dir is left to the server, which creates it durably (fsync of its parent).
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.writeString(
          logFile,
          "# " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8);
      long spawnNanos = System.nanoTime();
      return new ChildServer(builder.start(), port, dataDir, logFile, spawnNanos);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server: " + command, e);
    }
  }

  /**
   * Waits until the server answers Echo.
   *
   * @return the time from spawning the process to the first answered Echo
   * @throws IllegalStateException when the process exits or the timeout passes first
   */
  public Duration awaitReady(Duration timeout) {
    long readyNanos = Readiness.awaitEcho(HOST, port, timeout, this::checkAlive);
    return Duration.ofNanos(readyNanos - spawnNanos);
  }

  /** The {@link System#nanoTime()} at which the process was spawned. */
  public long spawnNanos() {
    return spawnNanos;
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the server exited with code "
              + process.exitValue()
              + " before it answered; its log ("
              + logFile
              + ") ends with:\n"
              + logTail(30));
    }
  }

  /** The last lines of the server's log. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "<cannot read " + logFile + ": " + e.getMessage() + ">";
    }
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Optional<Path> dataDir() {
    return Optional.of(dataDir);
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.of(process.pid());
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or -1 while the process runs. */
  public int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits up to {@code timeout} for the process to exit by itself; true if it did. */
  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL, as a crash: no shutdown hook runs. Waits for the process to be gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(STOP_TIMEOUT);
    stopDuration = Duration.ZERO;
  }

  /**
   * Stops the server cleanly and waits for it to exit.
   *
   * @return how long the clean stop took
   */
  public Duration stop() {
    if (stopDuration != null) {
      return stopDuration;
    }
    long start = System.nanoTime();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.printf(
            "server did not stop within %s; killing it (log: %s)%n", STOP_TIMEOUT, logFile);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    stopDuration = Duration.ofNanos(System.nanoTime() - start);
    return stopDuration;
  }

  @Override
  public void close() {
    stop();
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(HOST, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }
}
