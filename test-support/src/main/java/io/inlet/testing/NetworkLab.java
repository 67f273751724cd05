package io.inlet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private network of Linux network namespaces for cluster tests: node {@code i} (from 1) lives in
 * its own namespace with one interface at {@link #address(int) 10.77.s.i}, cabled to a bridge in a
 * "switch" namespace. Processes started with {@link #start} see only that network (and their own
 * loopback), so a test can cut a node off ({@link #isolate}) and heal it ({@link #heal}), or cut it
 * off from the other nodes only ({@link #partition}, {@link #rejoin}). The test's own JVM reaches
 * every node through one more cable, from the host to the switch (the host gets {@code
 * 10.77.s.254}); {@code s} is a subnet no other interface of the host uses. Nothing is routed
 * beyond the lab.
 *
 * <p>Needs root and iproute2's {@code ip}; without them the calling test is skipped, or fails in CI
 * ({@link RequiredServices}). {@link #close} deletes the namespaces, which removes their links; a
 * JVM shutdown hook does the same if the test forgets. Names carry the JVM's pid, so labs of
 * concurrent test JVMs do not collide.
 *
 * <pre>{@code
 * try (NetworkLab lab = NetworkLab.create(3)) {
 *   Process node1 = lab.start(1, List.of("java", "-cp", cp, Main.class.getName()), log);
 *   lab.isolate(1);  // node 1 can reach nobody, nobody can reach node 1
 *   lab.heal(1);
 * }
 * }</pre>
 */
public final class NetworkLab implements AutoCloseable {
  private static final String SUBNETS = "10.77.";
  private static final int HOST_ADDRESS = 254;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final String prefix;
  private final int nodes;
  private final String subnet;
  private final List<Process> processes = new ArrayList<>();
  private final Thread cleanup;
  private boolean closed;

  private NetworkLab(String prefix, int nodes, String subnet) {
    this.prefix = prefix;
    this.nodes = nodes;
    this.subnet = subnet;
    this.cleanup = new Thread(this::deleteNamespaces, "network-lab-cleanup");
  }

  /**
   * Builds a lab of {@code nodes} namespaces (1 to 250), or skips the calling test when this
   * process cannot (not root, no {@code ip}).
   */
  public static NetworkLab create(int nodes) {
    if (nodes < 1 || nodes > 250) {
      throw new IllegalArgumentException("a lab has 1 to 250 nodes, got " + nodes);
    }
    RequiredServices.requireCommands("apt-get install iproute2", "ip");
    String prefix = "il" + ProcessHandle.current().pid() % 100_000 + "x" + Labs.next();
    NetworkLab lab = null;
    boolean built = false;
    try {
      lab = new NetworkLab(prefix, nodes, freeSubnet());
      lab.build();
      built = true;
    } catch (IOException e) {
      RequiredServices.missing(
          "network namespaces need root (CAP_SYS_ADMIN and CAP_NET_ADMIN); CI runs as root: "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the lab", e);
    } finally {
      if (!built && lab != null) {
        lab.deleteNamespaces();
      }
    }
    Runtime.getRuntime().addShutdownHook(lab.cleanup);
    return lab;
  }

  /** The IPv4 address of node {@code node} inside the lab. */
  public String address(int node) {
    checkNode(node);
    return subnet + node;
  }

  /** The host's address in the lab, from which the test's JVM reaches the nodes. */
  public String hostAddress() {
    return subnet + HOST_ADDRESS;
  }

  /** The namespace node {@code node} lives in, for {@code ip netns exec}. */
  public String namespace(int node) {
    checkNode(node);
    return prefix + "n" + node;
  }

  /**
   * Starts {@code command} in node {@code node}'s namespace, its output (both streams) appended to
   * {@code log}. {@link #close} kills what is still running.
   */
  public Process start(int node, List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(inNamespace(node, command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  /**
   * Runs {@code command} in node {@code node}'s namespace and waits for it.
   *
   * @return its exit code and output
   */
  public Result run(int node, Duration timeout, String... command)
      throws IOException, InterruptedException {
    return execute(inNamespace(node, List.of(command)), timeout);
  }

  /**
   * {@code command} prefixed so that it runs in node {@code node}'s namespace, for callers that
   * start and track their processes themselves.
   */
  public List<String> inNamespace(int node, List<String> command) {
    List<String> prefixed = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
    prefixed.addAll(command);
    return prefixed;
  }

  /** Cuts node {@code node}'s cable: it reaches nobody in the lab and nobody reaches it. */
  public void isolate(int node) throws IOException, InterruptedException {
    ip("-n", switchNamespace(), "link", "set", switchPort(node), "down");
  }

  /** Plugs node {@code node}'s cable back in. */
  public void heal(int node) throws IOException, InterruptedException {
    ip("-n", switchNamespace(), "link", "set", switchPort(node), "up");
  }

  /**
   * Cuts node {@code node} off from the other nodes while the host still reaches it: a partition of
   * the cluster in which clients on the host talk to both sides. Each side drops what it would send
   * to the other (a blackhole route per peer address), so no packet crosses in either direction;
   * {@link #rejoin} removes the routes.
   */
  public void partition(int node) throws IOException, InterruptedException {
    for (int peer = 1; peer <= nodes; peer++) {
      if (peer != node) {
        ip("-n", namespace(node), "route", "add", "blackhole", address(peer) + "/32");
        ip("-n", namespace(peer), "route", "add", "blackhole", address(node) + "/32");
      }
    }
  }

  /** Ends {@link #partition}: node {@code node} and the other nodes reach each other again. */
  public void rejoin(int node) throws IOException, InterruptedException {
    for (int peer = 1; peer <= nodes; peer++) {
      if (peer != node) {
        ip("-n", namespace(node), "route", "del", "blackhole", address(peer) + "/32");
        ip("-n", namespace(peer), "route", "del", "blackhole", address(node) + "/32");
      }
    }
  }

  /** Kills the processes started in the lab, then deletes its namespaces and links. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (processes) {
      processes.forEach(Process::destroyForcibly);
      for (Process process : processes) {
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    deleteNamespaces();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  /** A finished command: its exit code and its output (both streams). */
  public record Result(int exitCode, String output) {}

  private void build() throws IOException, InterruptedException {
    ip("netns", "add", switchNamespace());
    ip("-n", switchNamespace(), "link", "add", "br0", "type", "bridge");
    ip("-n", switchNamespace(), "link", "set", "br0", "up");
    for (int node = 1; node <= nodes; node++) {
      String namespace = namespace(node);
      ip("netns", "add", namespace);
      ip("-n", namespace, "link", "set", "lo", "up");
      // Both ends are created in the host namespace and moved at once: the host keeps neither.
      ip(
          "link",
          "add",
          switchPort(node),
          "netns",
          switchNamespace(),
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          namespace);
      ip("-n", switchNamespace(), "link", "set", switchPort(node), "master", "br0", "up");
      ip("-n", namespace, "addr", "add", address(node) + "/24", "dev", "eth0");
      ip("-n", namespace, "link", "set", "eth0", "up");
    }
    ip(
        "link",
        "add",
        hostPort(),
        "type",
        "veth",
        "peer",
        "name",
        "uplink",
        "netns",
        switchNamespace());
    ip("-n", switchNamespace(), "link", "set", "uplink", "master", "br0", "up");
    ip("addr", "add", hostAddress() + "/24", "dev", hostPort());
    ip("link", "set", hostPort(), "up");
  }

  /** A 10.77.s. prefix whose /24 no interface of the host has an address in. */
  private static String freeSubnet() throws IOException, InterruptedException {
    String addresses = execute(List.of("ip", "-4", "-o", "addr", "show"), COMMAND_TIMEOUT).output();
    for (int s = 1; s < 255; s++) {
      String candidate = SUBNETS + s + ".";
      if (!addresses.contains(" " + candidate)) {
        return candidate;
      }
    }
    throw new IOException("every 10.77.s.0/24 subnet is in use on this host");
  }

  private void deleteNamespaces() {
    // Deleting the switch's namespace removes the host's cable with it (a veth pair dies whole).
    for (int node = 1; node <= nodes; node++) {
      deleteQuietly(namespace(node));
    }
    deleteQuietly(switchNamespace());
  }

  private static void deleteQuietly(String namespace) {
    try {
      execute(List.of("ip", "netns", "delete", namespace), COMMAND_TIMEOUT);
    } catch (IOException e) {
      // nothing to delete, or no ip: nothing was built either
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String switchNamespace() {
    return prefix + "sw";
  }

  private String switchPort(int node) {
    // Interface names have at most 15 characters.
    return "p" + prefix.substring(2) + "n" + node;
  }

  private String hostPort() {
    return "h" + prefix.substring(2);
  }

  private void checkNode(int node) {
    if (node < 1 || node > nodes) {
      throw new IllegalArgumentException("the lab has nodes 1 to " + nodes + ", got " + node);
    }
  }

  private static void ip(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    Result result = execute(command, COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + result.output().strip());
    }
  }

  private static Result execute(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("network-lab-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Numbers labs within one JVM. */
  private static final class Labs {
    private static int count;

    static synchronized int next() {
      return ++count;
    }
  }
}
