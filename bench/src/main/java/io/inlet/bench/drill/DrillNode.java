package io.inlet.bench.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.bench.server.ChildServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One start of an Inlet node for a drill: a {@link ChildServer} on a data dir that outlives it,
 * every port ephemeral, the bound ports read from its {@code --port-file}.
 */
final class DrillNode implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChildServer server;
  private final Path portFile;
  private final long spawnNanos;
  private int httpPort = -1;
  private int mqttPort = -1;
  private ManagedChannel channel;

  // Nodes still running when the drill's JVM exits (Ctrl-C, a failure) are killed with it.
  private static final Set<ChildServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(ChildServer::kill), "drill-nodes-kill"));
  }

  private DrillNode(ChildServer server, Path portFile, long spawnNanos) {
    this.server = server;
    this.portFile = portFile;
    this.spawnNanos = spawnNanos;
    RUNNING.add(server);
  }

  /**
   * Starts a node and returns at once.
   *
   * @param name names the log and port files in {@code workDir} (one pair per start)
   */
  static DrillNode spawn(DrillSetup setup, Path dataDir, String name, List<String> extraArgs) {
    Path portFile = setup.workDir().resolve(name + ".ports.json");
    try {
      Files.deleteIfExists(portFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(setup.serverArgs());
    args.addAll(
        List.of(
            "--port-file",
            portFile.toString(),
            "--http-port",
            "0",
            "--mqtt-port",
            "0",
            "--exhook-port",
            "0",
            "--ws-port",
            "off"));
    args.addAll(extraArgs);
    ChildServer.Launch launch =
        new ChildServer.Launch(
            null, setup.jvmOptions(), args, false, io.inlet.server.ServerCommand.class.getName());
    long spawned = System.nanoTime();
    return new DrillNode(
        ChildServer.spawn(launch, dataDir, setup.workDir().resolve(name + ".log")),
        portFile,
        spawned);
  }

  /**
   * Waits until the node wrote its port file (it is ready) and answers Echo.
   *
   * @return the time from spawning to ready
   * @throws IllegalStateException when the node exits first or does not become ready in time
   */
  Duration awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(portFile)) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "the node exited with code " + server.exitCode() + ":\n" + server.logTail(15));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node was not ready within " + timeout);
      }
      server.awaitExit(Duration.ofMillis(20));
    }
    Duration ready = Duration.ofNanos(System.nanoTime() - spawnNanos);
    try {
      JsonNode ports = JSON.readTree(Files.readString(portFile));
      httpPort = ports.path("httpPort").asInt(-1);
      mqttPort = ports.path("mqttPort").asInt(-1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + portFile, e);
    }
    server.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    return ready;
  }

  /** Starts and waits: the ready node, or an exception saying why it did not start. */
  static DrillNode start(DrillSetup setup, Path dataDir, String name, List<String> extraArgs) {
    DrillNode node = spawn(setup, dataDir, name, extraArgs);
    try {
      node.awaitReady(START_TIMEOUT);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  int grpcPort() {
    return server.port();
  }

  int httpPort() {
    return httpPort;
  }

  int mqttPort() {
    return mqttPort;
  }

  long pid() {
    return server.pid().orElse(-1);
  }

  boolean isAlive() {
    return server.isAlive();
  }

  int exitCode() {
    return server.exitCode();
  }

  boolean awaitExit(Duration timeout) {
    return server.awaitExit(timeout);
  }

  /** A plaintext channel to the node's gRPC port (closed with the node). */
  synchronized ManagedChannel channel() {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", grpcPort())
              .usePlaintext()
              .maxInboundMessageSize(256 << 20)
              .build();
    }
    return channel;
  }

  /** Everything the node printed. */
  String log() {
    try {
      return Files.readString(server.logFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The node's log lines matching {@code pattern}. */
  List<String> logLines(Pattern pattern) {
    return log().lines().filter(line -> pattern.matcher(line).find()).toList();
  }

  String logTail(int lines) {
    return server.logTail(lines);
  }

  Path logFile() {
    return server.logFile();
  }

  /** SIGKILL. */
  void kill() {
    closeChannel();
    server.kill();
    RUNNING.remove(server);
  }

  /** SIGTERM and wait. */
  void stop() {
    closeChannel();
    server.stop();
    RUNNING.remove(server);
  }

  private synchronized void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }

  @Override
  public void close() {
    if (server.isAlive()) {
      kill();
    }
    closeChannel();
    RUNNING.remove(server);
  }
}
