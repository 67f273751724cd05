package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins takes its share of the replicated shards ({@code ShardLeadership}: each shard's
 * leader moves one replica at a time towards the shard's rendezvous placement over the running
 * nodes), while appends go on, and the moved replicas serve every acknowledged record.
 */
class ClusterRebalanceIT {
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final int SHARDS = 6;

  @TempDir Path dir;

  @Test
  void a_node_that_joins_takes_its_share_of_the_replicas_while_appends_go_on() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 2, Map.of())) {
      List<Long> shards =
          ReplicaLifecycleIT.createStream(cluster.client(1), "meters", SHARDS, 2, 0);
      Map<Long, SingleRecordProducer> producers = new LinkedHashMap<>();
      for (long shard : shards) {
        assertThat(Set.copyOf(ReplicaLifecycleIT.placed(cluster, 1, "meters").replicasOf(shard)))
            .as("shard %d before node 3 joins", shard)
            .isEqualTo(Set.of(1, 2));
        SingleRecordProducer producer =
            new SingleRecordProducer(cluster.client(1), "meters", shard);
        for (int i = 0; i < 10; i++) {
          producer.append();
        }
        producers.put(shard, producer);
      }
      Map<Long, Set<Integer>> expected = new LinkedHashMap<>();
      for (long shard : shards) {
        expected.put(
            shard, Set.copyOf(RendezvousPlacement.place(shard, 2, List.of(1, 2, 3)).replicas()));
      }
      // The test means something only if node 3 ranks among the first two for some shards.
      assertThat(expected.values()).anyMatch(replicas -> replicas.contains(3));

      cluster.join(3);
      Await.until(
          () ->
              "every shard's replicas follow the placement over nodes 1-3: "
                  + ReplicaLifecycleIT.placed(cluster, 3, "meters"),
          CONVERGE,
          () -> {
            producers.values().forEach(SingleRecordProducer::append); // ingestion goes on
            PlacedStream now = ReplicaLifecycleIT.placed(cluster, 3, "meters");
            return now.settled()
                && shards.stream()
                    .allMatch(s -> Set.copyOf(now.replicasOf(s)).equals(expected.get(s)));
          });
      for (int i = 0; i < 5; i++) {
        producers.values().forEach(SingleRecordProducer::append);
      }

      for (long shard : shards) {
        SingleRecordProducer producer = producers.get(shard);
        for (int node : expected.get(shard)) {
          List<String> seen = new ArrayList<>();
          Await.until(
              () ->
                  "node "
                      + node
                      + " serves every acknowledged record of shard "
                      + shard
                      + ": "
                      + producer.violations(seen),
              CONVERGE,
              () -> {
                seen.clear();
                try {
                  seen.addAll(
                      producer.ids(ReplicaLifecycleIT.readThrough(cluster.client(node), shard)));
                } catch (StatusRuntimeException e) {
                  return false; // UNAVAILABLE while a leader recovers the shard: read again
                }
                return producer.violations(seen).isEmpty();
              });
        }
        assertThat(producer.acked()).isGreaterThanOrEqualTo(15);
      }
    }
  }
}
