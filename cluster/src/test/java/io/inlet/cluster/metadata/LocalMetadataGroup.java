package io.inlet.cluster.metadata;

import io.inlet.cluster.HostPort;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Real Ratis metadata nodes in this process, on loopback ports of their own, one data dir each
 * under {@code dir}: voters 1..size, started and stopped (same dir and port) by the tests, and
 * client nodes with any other id.
 */
public final class LocalMetadataGroup implements AutoCloseable {
  public static final Duration CONVERGE = Duration.ofSeconds(60);

  private final Path dir;
  private final List<MetadataPeer> peers;
  private final Map<Integer, ReplicatedMetadata> nodes = new TreeMap<>();
  private final Map<Integer, ClusterTls> tlsOf = new HashMap<>();
  private UnaryOperator<MetadataSettings> tuning = UnaryOperator.identity();

  private LocalMetadataGroup(Path dir, List<MetadataPeer> peers) {
    this.dir = dir;
    this.peers = peers;
  }

  /** A group of {@code size} voters, none started yet. */
  public static LocalMetadataGroup of(Path dir, int size) throws IOException {
    List<MetadataPeer> peers = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      peers.add(new MetadataPeer(id, new HostPort("127.0.0.1", FreePorts.one())));
    }
    return new LocalMetadataGroup(dir, List.copyOf(peers));
  }

  /** Settings applied to every node started from now on. */
  public LocalMetadataGroup tuning(UnaryOperator<MetadataSettings> tuning) {
    this.tuning = tuning;
    return this;
  }

  /** Node {@code id}, when started from now on, uses mutual TLS with these files. */
  public LocalMetadataGroup tls(int id, ClusterTls tls) {
    tlsOf.put(id, tls);
    return this;
  }

  /** Starts every voter. */
  public LocalMetadataGroup startAll() throws IOException {
    for (MetadataPeer peer : peers) {
      start(peer.nodeId());
    }
    return this;
  }

  public ReplicatedMetadata start(int id) throws IOException {
    MetadataSettings settings =
        tuning
            .apply(MetadataSettings.of("it", id, peers, dir.resolve("node-" + id)))
            .withTls(Optional.ofNullable(tlsOf.get(id)));
    ReplicatedMetadata node = ReplicatedMetadata.start(settings);
    nodes.put(id, node);
    return node;
  }

  public void stop(int id) throws IOException {
    nodes.remove(id).close();
  }

  public ReplicatedMetadata node(int id) {
    ReplicatedMetadata node = nodes.get(id);
    if (node == null) {
      throw new IllegalStateException("metadata node " + id + " is not running");
    }
    return node;
  }

  /** The running nodes by id. */
  public Map<Integer, ReplicatedMetadata> running() {
    return java.util.Collections.unmodifiableMap(nodes);
  }

  /** Node {@code id}'s data dir. */
  public Path dataDir(int id) {
    return dir.resolve("node-" + id);
  }

  /** Waits until every running voter names the same leader, itself running. */
  public int awaitLeader() {
    Await.until(
        () -> "one leader known to every voter: " + leaders(),
        CONVERGE,
        () -> {
          var known = leaders();
          return known.size() == 1
              && known.get(0).isPresent()
              && nodes.containsKey(known.get(0).get());
        });
    return leaders().get(0).orElseThrow();
  }

  /** The first running voter that is none of {@code excluded}. */
  public int otherThan(int... excluded) {
    return nodes.keySet().stream()
        .filter(id -> Arrays.stream(excluded).noneMatch(e -> e == id))
        .filter(id -> nodes.get(id).isVoter())
        .findFirst()
        .orElseThrow();
  }

  private List<Optional<Integer>> leaders() {
    return nodes.values().stream()
        .filter(ReplicatedMetadata::isVoter)
        .map(ReplicatedMetadata::leaderId)
        .distinct()
        .toList();
  }

  @Override
  public void close() throws IOException {
    for (ReplicatedMetadata node : nodes.values()) {
      node.close();
    }
    nodes.clear();
  }
}
