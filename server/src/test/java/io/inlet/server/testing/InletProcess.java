package io.inlet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.testing.NetworkLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An Inlet node in a child JVM ({@code io.inlet.server.ServerCommand} on this JVM's classpath), on
 * ephemeral ports found through {@code --port-file}. For tests that kill the process (crash
 * recovery) or check what a user sees on the console. Output goes to {@code <workDir>/inlet.log}.
 */
public final class InletProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path portFile;
  private final Path logFile;
  private int grpcPort = -1;
  private int httpPort = -1;
  private int mqttPort = -1;

  private InletProcess(Process process, Path portFile, Path logFile) {
    this.process = process;
    this.portFile = portFile;
    this.logFile = logFile;
  }

  /**
   * Starts a node on {@code dataDir} with ports 0 (gRPC, HTTP, MQTT; MQTT over WebSocket off) and
   * {@code extraArgs}; does not wait for it.
   *
   * @param workDir where the port file and the log go (one per start)
   */
  public static InletProcess start(Path workDir, Path dataDir, String... extraArgs)
      throws IOException {
    return start(UnaryOperator.identity(), workDir, dataDir, extraArgs);
  }

  /**
   * {@link #start(Path, Path, String...)} in node {@code node}'s namespace of {@code lab}: the node
   * binds to its lab address unless {@code extraArgs} names {@code --bind}.
   */
  public static InletProcess startIn(
      NetworkLab lab, int node, Path workDir, Path dataDir, String... extraArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    if (!args.contains("--bind")) {
      args.addAll(List.of("--bind", lab.address(node)));
    }
    return start(
        command -> lab.inNamespace(node, command), workDir, dataDir, args.toArray(String[]::new));
  }

  private static InletProcess start(
      UnaryOperator<List<String>> launcher, Path workDir, Path dataDir, String... extraArgs)
      throws IOException {
    Files.createDirectories(workDir);
    Path portFile = workDir.resolve("ports.json");
    Files.deleteIfExists(portFile);
    Path logFile = workDir.resolve("inlet.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.inlet.server.ServerCommand");
    List<String> extra = List.of(extraArgs);
    command.addAll(List.of("--data-dir", dataDir.toString(), "--port-file", portFile.toString()));
    for (String port : List.of("--grpc-port", "--http-port", "--exhook-port", "--mqtt-port")) {
      if (!extra.contains(port)) {
        command.addAll(List.of(port, "0"));
      }
    }
    if (!extra.contains("--ws-port")) {
      command.addAll(List.of("--ws-port", "off"));
    }
    command.addAll(extra);
    Process process =
        new ProcessBuilder(launcher.apply(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    return new InletProcess(process, portFile, logFile);
  }

  /** Waits until the node wrote its port file. */
  public InletProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "inlet exited with " + process.exitValue() + " before it was ready:\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("inlet not ready within " + timeout + ":\n" + output());
      }
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
    JsonNode ports = JSON.readTree(Files.readString(portFile));
    grpcPort = ports.get("grpcPort").asInt();
    httpPort = ports.get("httpPort").asInt();
    mqttPort = ports.has("mqttPort") ? ports.get("mqttPort").asInt() : -1;
    return this;
  }

  /**
   * Waits until the node is ready (true) or has exited by itself before it was (false: its exit
   * code is then {@link #awaitExit}'s, its reasons in {@link #output()}).
   */
  public boolean readyOrExited(Duration timeout) throws IOException, InterruptedException {
    try {
      awaitReady(timeout);
      return true;
    } catch (IllegalStateException e) {
      if (process.isAlive()) {
        throw e;
      }
      return false;
    }
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The plain MQTT port (-1 when the listener is off). */
  public int mqttPort() {
    return mqttPort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits for the exit code. */
  public int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException("inlet did not stop within " + timeout);
    }
    return process.exitValue();
  }

  /** Waits for the process to exit by itself. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("inlet still running after " + timeout);
    }
    return process.exitValue();
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "";
    } catch (IOException e) {
      return "<cannot read " + logFile + ": " + e + ">";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
