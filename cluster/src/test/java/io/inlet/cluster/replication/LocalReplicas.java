package io.inlet.cluster.replication;

import io.inlet.cluster.transport.ClusterTls;
import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * N replication nodes in this process, on loopback with ports of their own, each with a data
 * directory: stopped and restarted (same directory and port) by the tests. Node i's followers for
 * any shard are all the other nodes.
 */
final class LocalReplicas implements AutoCloseable {
  static final SegmentLogOptions OPTIONS =
      new SegmentLogOptions(1 << 20, 64 << 10, 1 << 20, 8 << 20);

  private final IntFunction<Path> dirOf;
  private final IntFunction<Optional<ClusterTls>> tlsOf;
  private final ReplicationNode[] nodes;
  private final Replica[] addresses;
  final InMemoryEpochSource epochs = new InMemoryEpochSource();

  LocalReplicas(Path dir, int count) {
    this(dir, count, i -> Optional.empty());
  }

  /** Node {@code i} with mutual TLS from {@code tlsOf.apply(i)} when present. */
  LocalReplicas(Path dir, int count, IntFunction<Optional<ClusterTls>> tlsOf) {
    this(i -> dir.resolve("n" + i), count, tlsOf);
  }

  /** Node {@code i} in its own directory {@code dirOf.apply(i)}. */
  LocalReplicas(IntFunction<Path> dirOf, int count, IntFunction<Optional<ClusterTls>> tlsOf) {
    this.dirOf = dirOf;
    this.tlsOf = tlsOf;
    this.nodes = new ReplicationNode[count];
    this.addresses = new Replica[count];
    for (int i = 0; i < count; i++) {
      nodes[i] = startNode(i, 0);
      addresses[i] = nodes[i].self();
    }
  }

  private ReplicationNode startNode(int i, int port) {
    return ReplicationNode.start(
        "n" + i, "127.0.0.1", port, dirOf.apply(i), OPTIONS, tlsOf.apply(i));
  }

  ReplicationNode node(int i) {
    ReplicationNode node = nodes[i];
    if (node == null) {
      throw new IllegalStateException("node " + i + " is stopped");
    }
    return node;
  }

  /** Node {@code i}'s replication address (the same after a restart). */
  Replica address(int i) {
    return addresses[i];
  }

  int size() {
    return nodes.length;
  }

  /** Followers of node {@code leader}: every other node, running or not. */
  ShardReplicas followersOf(int leader) {
    return shardId -> {
      List<Replica> followers = new ArrayList<>();
      for (int i = 0; i < addresses.length; i++) {
        if (i != leader) {
          followers.add(addresses[i]);
        }
      }
      return followers;
    };
  }

  ShardLeader lead(int i, long shardId) {
    return node(i).lead(shardId, followersOf(i), epochs);
  }

  /** Stops node {@code i} at once: its service, its leaders and its store. */
  void stop(int i) {
    nodes[i].close();
    nodes[i] = null;
  }

  /** Starts node {@code i} again on its directory and port. */
  void restart(int i) {
    nodes[i] = startNode(i, addresses[i].port());
  }

  static SegmentEntry entry(String id) {
    return new SegmentEntry(id.getBytes(StandardCharsets.UTF_8), 1, 0, System.currentTimeMillis());
  }

  static String id(LoggedEntry entry) {
    return new String(entry.entry().payload(), StandardCharsets.UTF_8);
  }

  /** Every entry node {@code i} holds durably for a shard, in LSN order. */
  List<LoggedEntry> log(int i, long shardId) {
    List<LoggedEntry> all = new ArrayList<>();
    long next = 1;
    while (true) {
      List<LoggedEntry> chunk = node(i).read(shardId, next, 4096);
      if (chunk.isEmpty()) {
        return all;
      }
      all.addAll(chunk);
      next = chunk.get(chunk.size() - 1).lsn() + 1;
    }
  }

  /**
   * As {@link #ids}, or null when the read met entries being cut: a replica's entries past the
   * committed LSN may be truncated while read (readers of acknowledged entries stay below it).
   */
  List<String> idsWhileCatchingUp(int i, long shardId) {
    try {
      return ids(i, shardId);
    } catch (io.inlet.store.segment.SegmentLogException e) {
      return null;
    }
  }

  List<String> ids(int i, long shardId) {
    return log(i, shardId).stream().map(LocalReplicas::id).toList();
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        stop(i);
      }
    }
  }
}
