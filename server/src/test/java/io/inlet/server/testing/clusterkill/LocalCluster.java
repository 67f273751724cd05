package io.inlet.server.testing.clusterkill;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.NodeState;
import io.inlet.server.testing.InletProcess;
import io.inlet.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N Inlet node processes on loopback forming one cluster: every node a metadata node and a seed,
 * gossip timings {@code fast}, each on its own data dir. Each node keeps its ports across restarts
 * (free ports chosen once), as a real node restarted on its host does.
 */
public final class LocalCluster implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern RAFT_ROLE = Pattern.compile("changes role from\\s+\\S+ to (\\w+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path workDir;
  private final List<String> serverArgs;
  private final int[][] ports; // per node: grpc, http, mqtt, gossip, raft, replication
  private final InletProcess[] processes;
  private final int[] starts;
  private final ManagedChannel[] channels;

  public LocalCluster(int nodes, Path workDir, List<String> serverArgs) {
    this.workDir = workDir;
    this.serverArgs = List.copyOf(serverArgs);
    // All chosen at once, so no two are the same (ports chosen one node at a time could be).
    int[] free = FreePorts.distinct(nodes * 6);
    ports = new int[nodes][];
    for (int i = 0; i < nodes; i++) {
      ports[i] = Arrays.copyOfRange(free, i * 6, i * 6 + 6);
    }
    processes = new InletProcess[nodes];
    starts = new int[nodes];
    channels = new ManagedChannel[nodes];
  }

  int size() {
    return processes.length;
  }

  /** Node ids are 1..size(); index {@code i} is node {@code i + 1}. */
  static int nodeId(int index) {
    return index + 1;
  }

  /** Starts node {@code index}; does not wait for it. */
  public synchronized void spawn(int index) {
    if (processes[index] != null && processes[index].isAlive()) {
      throw new IllegalStateException("node " + nodeId(index) + " is running");
    }
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--node-id",
            Integer.toString(nodeId(index)),
            "--grpc-port",
            Integer.toString(grpcPort(index)),
            "--http-port",
            Integer.toString(ports[index][1]),
            "--mqtt-port",
            Integer.toString(mqttPort(index)),
            "--gossip-port",
            Integer.toString(ports[index][3]),
            "--replication-port",
            Integer.toString(ports[index][5]),
            "--gossip-timings",
            "fast",
            "--seeds",
            seeds(),
            "--metadata-nodes",
            metadataNodes()));
    args.addAll(serverArgs);
    Path data = workDir.resolve("node-" + nodeId(index) + "-data");
    Path work = workDir.resolve("node-" + nodeId(index) + "-start-" + starts[index]++);
    try {
      processes[index] = InletProcess.start(work, data, args.toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + nodeId(index), e);
    }
  }

  /**
   * Waits until node {@code index} is ready: its ports are bound and {@code /ready} answers 200 (it
   * has joined and caught up with the metadata).
   *
   * @throws IllegalStateException when it exits first or is not ready in time
   */
  public void awaitReady(int index, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InletProcess process = process(index);
    process.awaitReady(timeout);
    while (!ready(index)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node " + nodeId(index) + " exited before /ready:\n" + tail(process.output()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "node "
                + nodeId(index)
                + " not ready within "
                + timeout
                + ":\n"
                + tail(process.output()));
      }
      Thread.sleep(50); // polling an HTTP endpoint, with a deadline
    }
  }

  private boolean ready(int index) throws InterruptedException {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[index][1] + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** How many nodes node {@code index} lists as Running (0 when it does not answer). */
  long runningSeenBy(int index) {
    try {
      return HStreamApiGrpc.newBlockingStub(channel(index))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .describeCluster(Empty.getDefaultInstance())
          .getServerNodesStatusList()
          .stream()
          .filter(s -> s.getState() == NodeState.Running)
          .count();
    } catch (StatusRuntimeException unreachable) {
      return 0;
    }
  }

  /**
   * Waits until every node lists every node Running.
   *
   * @return false when they did not within {@code timeout}
   */
  public boolean awaitAllRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int i = 0; i < size() && all; i++) {
        all = runningSeenBy(i) == size();
      }
      if (all) {
        return true;
      }
      Thread.sleep(50); // polling DescribeCluster, with a deadline
    }
    return false;
  }

  /**
   * Node {@code index}'s role in the metadata's Raft group (LEADER, FOLLOWER, CANDIDATE) as the
   * last "changes role" line Apache Ratis logged in this start says, or "unknown": no API tells it.
   */
  String metadataRole(int index) {
    String role = "unknown";
    for (String line : process(index).output().lines().toList()) {
      Matcher m = RAFT_ROLE.matcher(line);
      if (m.find()) {
        role = m.group(1);
      }
    }
    return role;
  }

  /**
   * SIGTERM, then waits for the node to exit.
   *
   * @return its exit code
   * @throws IllegalStateException when it did not exit within {@code timeout} (it is then killed)
   */
  int terminate(int index, Duration timeout) throws InterruptedException {
    return process(index).stop(timeout);
  }

  /** SIGKILL. */
  public void kill(int index) throws InterruptedException {
    process(index).kill();
  }

  boolean isAlive(int index) {
    InletProcess process = processes[index];
    return process != null && process.isAlive();
  }

  public String output(int index) {
    return process(index).output();
  }

  public int grpcPort(int index) {
    return ports[index][0];
  }

  int mqttPort(int index) {
    return ports[index][2];
  }

  /** A channel to node {@code index}'s gRPC port; it outlives restarts (same port). */
  public synchronized ManagedChannel channel(int index) {
    if (channels[index] == null) {
      channels[index] =
          NettyChannelBuilder.forAddress("127.0.0.1", grpcPort(index))
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
    }
    return channels[index];
  }

  private synchronized InletProcess process(int index) {
    if (processes[index] == null) {
      throw new IllegalStateException("node " + nodeId(index) + " was never started");
    }
    return processes[index];
  }

  private String seeds() {
    List<String> seeds = new ArrayList<>();
    for (int[] p : ports) {
      seeds.add("127.0.0.1:" + p[3]);
    }
    return String.join(",", seeds);
  }

  private String metadataNodes() {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      nodes.add(nodeId(i) + "@127.0.0.1:" + ports[i][4]);
    }
    return String.join(",", nodes);
  }

  static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      if (channel != null) {
        channel.shutdownNow();
      }
    }
    for (InletProcess process : processes) {
      if (process != null) {
        process.close();
      }
    }
  }
}
