package io.inlet.bench.segment;

import io.inlet.cluster.replication.InMemoryEpochSource;
import io.inlet.cluster.replication.Replica;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated shard log ({@code io.inlet.cluster.replication}): {@code replicas} nodes in this
 * process, each with its own segment log in a directory of the same disk, talking gRPC over
 * loopback; node 0 leads every shard.
 */
final class ReplicatedEngine implements LogEngine {
  private final List<ReplicationNode> nodes = new ArrayList<>();
  private final ShardLeader[] leaders;

  ReplicatedEngine(Path dir, int replicas, int shards) {
    for (int i = 0; i < replicas; i++) {
      nodes.add(
          ReplicationNode.start(
              "n" + i, "127.0.0.1", 0, dir.resolve("n" + i), SegmentLogOptions.DEFAULTS));
    }
    List<Replica> followers =
        nodes.subList(1, replicas).stream().map(ReplicationNode::self).toList();
    InMemoryEpochSource epochs = new InMemoryEpochSource();
    leaders = new ShardLeader[shards];
    for (int s = 0; s < shards; s++) {
      leaders[s] = nodes.get(0).lead(s, shardId -> followers, epochs);
    }
  }

  @Override
  public String name() {
    return "replicated log (" + nodes.size() + " replicas)";
  }

  @Override
  public CompletableFuture<?> append(int shard, byte[] payload, int records) {
    return leaders[shard].append(new SegmentEntry(payload, records, 0, System.currentTimeMillis()));
  }

  @Override
  public void close() {
    for (ReplicationNode node : nodes) {
      node.close();
    }
  }
}
