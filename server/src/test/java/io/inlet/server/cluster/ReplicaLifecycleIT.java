package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.TrimShardRequest;
import io.inlet.api.record.RecordBatches;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.replication.MetadataEpochSource;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a replicated shard's replicas, with nodes in one JVM ({@link LocalCluster}) and real
 * gRPC clients: deleting a stream deletes its replicas' files on every node; a trim asked through
 * any node, and retention, apply on every replica; a replica gone for good is replaced by a running
 * node, which catches up from the leader and serves every acknowledged record.
 */
class ReplicaLifecycleIT {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void deleting_a_stream_removes_its_replicas_files_on_every_node_and_its_shards_metadata() {
    try (LocalCluster cluster =
        LocalCluster.start(dir, 3, Map.of("retention-check-interval", "1s"))) {
      List<Long> shards = createStream(cluster.client(1), "doomed", 2, 3, 0);
      RecordId third = null;
      for (long shard : shards) {
        for (int node = 1; node <= 3; node++) {
          RecordId id = appendRetrying(cluster.client(node), "doomed", shard, "n" + node + "-");
          third = third == null && node == 3 ? id : third;
        }
      }
      cluster
          .client(1)
          .stub()
          .trimShard(
              TrimShardRequest.newBuilder()
                  .setStreamName("doomed")
                  .setShardId(shards.get(0))
                  .setTrimPoint(ShardOffset.newBuilder().setRecordOffset(third))
                  .build());
      for (long shard : shards) {
        assertThat(metadataKey(cluster, MetadataEpochSource.NAMESPACE, shard))
            .as("shard %d's leader claim", shard)
            .isPresent();
      }
      assertThat(metadataKey(cluster, ShardTrims.NAMESPACE, shards.get(0))).isPresent();
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
      // Nor does the metadata keep the deleted shards' leader claims and trim points.
      for (long shard : shards) {
        for (String namespace : List.of(MetadataEpochSource.NAMESPACE, ShardTrims.NAMESPACE)) {
          Await.until(
              "the metadata forgets shard " + shard + " in " + namespace,
              CONVERGE,
              () -> metadataKey(cluster, namespace, shard).isEmpty());
        }
      }

      // A delete of that metadata that failed (or was never made) is made later: a trim point put
      // back for a deleted shard goes again, though no replica is left to delete.
      cluster
          .server(3)
          .replicatedMetadata()
          .orElseThrow()
          .write(
              MetadataWrite.put(
                  ShardTrims.NAMESPACE,
                  Long.toUnsignedString(shards.get(1)),
                  ByteBuffer.allocate(Long.BYTES).putLong(1).array()))
          .join();
      assertThat(metadataKey(cluster, ShardTrims.NAMESPACE, shards.get(1))).isPresent();
      Await.until(
          "the metadata forgets the trim point put back for shard " + shards.get(1),
          CONVERGE,
          () -> metadataKey(cluster, ShardTrims.NAMESPACE, shards.get(1)).isEmpty());
    }
  }

  private static Optional<MetadataEntry> metadataKey(
      LocalCluster cluster, String namespace, long shard) {
    return cluster
        .server(1)
        .replicatedMetadata()
        .orElseThrow()
        .get(namespace, Long.toUnsignedString(shard), ReadMode.LINEARIZABLE)
        .join();
  }

  @Test
  void a_trim_through_any_node_applies_on_every_replica() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, SMALL_SEGMENTS)) {
      long shard = createStream(cluster.client(1), "trimmed", 1, 3, 0).get(0);
      List<String> all = new ArrayList<>();
      RecordId fortieth = null;
      for (int i = 0; i < 60; i++) {
        String payload = padded("t-" + i);
        RecordId id = appendRetrying(cluster.client(1 + i % 3), "trimmed", shard, payload);
        all.add(payload + "0");
        if (i == 40) {
          fortieth = id;
        }
      }
      for (int node = 1; node <= 3; node++) {
        awaitRead(cluster.client(node), shard, "node " + node + " serves all 60", all::equals);
      }

      cluster
          .client(2)
          .stub()
          .trimShard(
              TrimShardRequest.newBuilder()
                  .setStreamName("trimmed")
                  .setShardId(shard)
                  .setTrimPoint(ShardOffset.newBuilder().setRecordOffset(fortieth))
                  .build());

      // Whole segments only: each replica keeps a suffix that starts at or before record 40.
      List<String> fromFortieth = all.subList(40, 60);
      for (int node = 1; node <= 3; node++) {
        awaitRead(
            cluster.client(node),
            shard,
            "node " + node + " trimmed its replica",
            read ->
                read.size() < all.size()
                    && read.equals(all.subList(all.size() - read.size(), all.size()))
                    && read.containsAll(fromFortieth));
      }
    }
  }

  @Test
  void retention_deletes_old_segments_on_every_replica() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, SMALL_SEGMENTS)) {
      long shard = createStream(cluster.client(1), "aging", 1, 3, 2).get(0);
      List<String> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String payload = padded("a-" + i);
        appendRetrying(cluster.client(1 + i % 3), "aging", shard, payload);
        all.add(payload + "0");
      }
      String last = all.get(all.size() - 1);
      // Older than 2 s: every sealed segment goes; the active one (the last record's) stays.
      for (int node = 1; node <= 3; node++) {
        awaitRead(
            cluster.client(node),
            shard,
            "node " + node + " deleted the expired segments of its replica",
            read ->
                !read.isEmpty()
                    && read.size() < all.size() / 2
                    && read.equals(all.subList(all.size() - read.size(), all.size()))
                    && read.contains(last));
      }
    }
  }

  @Test
  void a_replica_gone_for_good_is_replaced_and_the_new_one_serves_every_acknowledged_record() {
    try (LocalCluster cluster = LocalCluster.start(dir, 4, Map.of("replica-replace-after", "2s"))) {
      long shard = createStream(cluster.client(1), "meters", 1, 3, 0).get(0);
      List<Integer> original = placed(cluster, 1, "meters").replicasOf(shard);
      int spare = List.of(1, 2, 3, 4).stream().filter(n -> !original.contains(n)).findFirst().get();
      // Appends go through the spare node, which forwards them to the leader until it holds a
      // replica itself.
      SingleRecordProducer producer =
          new SingleRecordProducer(cluster.client(spare), "meters", shard);
      for (int i = 0; i < 20; i++) {
        producer.append();
      }
      int leader =
          cluster
              .client(spare)
              .stub()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
              .getServerNode()
              .getId();
      int gone = original.stream().filter(n -> n != leader).findFirst().get();

      cluster.stop(gone);
      // Ingestion goes on while the replica is gone, replaced and caught up.
      List<Integer> expected = new ArrayList<>(original);
      expected.set(original.indexOf(gone), spare);
      Await.until(
          () ->
              "node " + spare + " replaces node " + gone + ": " + placed(cluster, spare, "meters"),
          CONVERGE,
          () -> {
            producer.append();
            PlacedStream now = placed(cluster, spare, "meters");
            return now.replicasOf(shard).equals(expected) && now.settled();
          });
      for (int i = 0; i < 10; i++) {
        producer.append();
      }

      assertThat(replicaLog(spare, shard)).isDirectory();
      List<String> seen = new ArrayList<>();
      Await.until(
          () -> "node " + spare + " serves every acknowledged record: " + producer.violations(seen),
          CONVERGE,
          () -> {
            seen.clear();
            seen.addAll(producer.ids(readThrough(cluster.client(spare), shard)));
            return producer.violations(seen).isEmpty();
          });
      assertThat(producer.acked()).isGreaterThanOrEqualTo(30);
    }
  }

  // --- helpers ---

  /** The stream as node {@code node}'s catalog has it now (a linearizable read). */
  static PlacedStream placed(LocalCluster cluster, int node, String stream) {
    return PlacedStreamCodec.decode(
        cluster
            .server(node)
            .replicatedMetadata()
            .orElseThrow()
            .get(StreamDirectory.NAMESPACE, StreamDirectory.key(stream), ReadMode.LINEARIZABLE)
            .join()
            .orElseThrow()
            .value());
  }

  /** Segments of 4 KiB, retention every half second: a few records fill a segment. */
  private static final Map<String, String> SMALL_SEGMENTS =
      Map.of("replication-segment-bytes", "4096", "retention-check-interval", "500ms");

  private static String padded(String id) {
    return id + "-" + "x".repeat(300);
  }

  private static void awaitRead(
      GrpcClient client, long shard, String what, Predicate<List<String>> done) {
    List<String> seen = new ArrayList<>();
    Await.until(
        () -> what + "; it serves " + seen.size() + " records",
        CONVERGE,
        () -> {
          seen.clear();
          try {
            seen.addAll(readThrough(client, shard));
          } catch (StatusRuntimeException e) {
            return false;
          }
          return done.test(seen);
        });
  }

  private Path replicaLog(int node, long shard) {
    return replicaLog(dir, node, shard);
  }

  private Path replicaState(int node, long shard) {
    return replicaState(dir, node, shard);
  }

  /** Where node {@code node} of a {@link LocalCluster} in {@code dir} keeps a shard's entries. */
  static Path replicaLog(Path dir, int node, long shard) {
    return dir.resolve("node-" + node).resolve("replicas/log/shard-" + shard);
  }

  /** Where node {@code node} of a {@link LocalCluster} in {@code dir} keeps a shard's state. */
  static Path replicaState(Path dir, int node, long shard) {
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

  /**
   * One single-record append of {@code id} (the payload is {@code id + "0"}), sent again while the
   * shard answers UNAVAILABLE; returns the record's id.
   */
  static RecordId appendRetrying(GrpcClient client, String stream, long shard, String id) {
    RecordId[] given = new RecordId[1];
    Await.until(
        "an append of " + id + " to shard " + shard + " is acknowledged",
        CONVERGE,
        () -> {
          try {
            given[0] =
                client
                    .append(stream, shard, GrpcClient.batch(GrpcClient.rawRecords("k", id, 1)))
                    .getRecordIds(0);
            return true;
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
              throw e;
            }
            return false;
          }
        });
    return given[0];
  }

  /** The payloads of a shard's records as {@code client}'s node serves them, in LSN order. */
  static List<String> readThrough(GrpcClient client, long shard) {
    return StreamContents.received(client, shard).stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }
}
