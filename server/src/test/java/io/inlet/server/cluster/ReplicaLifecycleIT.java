package io.inlet.server.cluster;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a replicated shard's replicas, with nodes in one JVM ({@link LocalCluster}) and real
 * gRPC clients: deleting a stream deletes its replicas' files on every node.
 */
class ReplicaLifecycleIT {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void deleting_a_stream_removes_its_replicas_files_on_every_node() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, Map.of())) {
      List<Long> shards = createStream(cluster.client(1), "doomed", 2, 3, 0);
      for (long shard : shards) {
        for (int node = 1; node <= 3; node++) {
          appendRetrying(cluster.client(node), "doomed", shard, "n" + node + "-");
        }
      }
      for (int node = 1; node <= 3; node++) {
        for (long shard : shards) {
          Path log = replicaLog(node, shard);
          Path state = replicaState(node, shard);
          Await.until(
              "node " + node + " holds a replica of shard " + shard,
              CONVERGE,
              () -> Files.isDirectory(log) && Files.exists(state));
        }
      }

      cluster
          .client(2)
          .stub()
          .deleteStream(DeleteStreamRequest.newBuilder().setStreamName("doomed").build());

      for (int node = 1; node <= 3; node++) {
        for (long shard : shards) {
          Path log = replicaLog(node, shard);
          Path state = replicaState(node, shard);
          Await.until(
              "node " + node + " deleted its replica of shard " + shard,
              CONVERGE,
              () -> !Files.exists(log) && !Files.exists(state));
        }
      }
    }
  }

  // --- helpers ---

  private Path replicaLog(int node, long shard) {
    return dir.resolve("node-" + node).resolve("replicas/log/shard-" + shard);
  }

  private Path replicaState(int node, long shard) {
    return dir.resolve("node-" + node).resolve("replicas/state/shard-" + shard + ".state");
  }

  static List<Long> createStream(
      GrpcClient client, String name, int shards, int replicationFactor, int backlogSeconds) {
    client
        .stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(shards)
                .setReplicationFactor(replicationFactor)
                .setBacklogDuration(backlogSeconds)
                .build());
    return client.shardIds(name);
  }

  /** One single-record append of {@code id}, sent again while the shard answers UNAVAILABLE. */
  static void appendRetrying(GrpcClient client, String stream, long shard, String id) {
    Await.until(
        "an append of " + id + " to shard " + shard + " is acknowledged",
        CONVERGE,
        () -> {
          try {
            client.append(stream, shard, GrpcClient.batch(GrpcClient.rawRecords("k", id, 1)));
            return true;
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
              throw e;
            }
            return false;
          }
        });
  }

  /** The payloads of a shard's records as {@code client}'s node serves them, in LSN order. */
  static List<String> readThrough(GrpcClient client, long shard) {
    return StreamContents.received(client, shard).stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }
}
