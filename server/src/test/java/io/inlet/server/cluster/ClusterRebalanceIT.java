package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards follow the rendezvous placement as nodes come and go, while appends go on: a node that
 * joins takes its share of the replicas ({@code ReplicaSetKeeper}: each shard's leader moves one
 * replica at a time towards the placement over the running nodes), and a node that restarts leads
 * its preferred shards again ({@code PreferredLeaders}); every replica serves every acknowledged
 * record, and a node that gave a replica up deletes its copy.
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
      Map<Long, SingleRecordProducer> producers = producersOnTwoNodes(cluster, shards);
      Map<Long, Set<Integer>> expected = new LinkedHashMap<>();
      for (long shard : shards) {
        expected.put(
            shard, Set.copyOf(RendezvousPlacement.place(shard, 2, List.of(1, 2, 3)).replicas()));
      }
      // The test means something only if node 3 ranks among the first two for some shards.
      assertThat(expected.values()).anyMatch(replicas -> replicas.contains(3));

      cluster.join(3);
      awaitReplicas(
          cluster,
          producers,
          expected,
          "every shard's replicas follow the placement over nodes 1-3");

      for (long shard : shards) {
        SingleRecordProducer producer = producers.get(shard);
        for (int node : expected.get(shard)) {
          awaitServes(cluster, node, shard, producer);
        }
        assertThat(producer.acked()).isGreaterThanOrEqualTo(15);
        // The node that gave its replica up deletes its copy (files and all).
        for (int node = 1; node <= 2; node++) {
          if (!expected.get(shard).contains(node)) {
            Path log = ReplicaLifecycleIT.replicaLog(dir, node, shard);
            Path state = ReplicaLifecycleIT.replicaState(dir, node, shard);
            Await.until(
                "node " + node + " deleted its copy of shard " + shard + ", moved away",
                CONVERGE,
                () -> !Files.exists(log) && !Files.exists(state));
          }
        }
      }
    }
  }

  /**
   * A stream created while fewer nodes run than its replication factor asks gets the replicas it
   * lacks once nodes join ({@code ReplicaSetKeeper}: each shard's leader adds the first-ranked
   * running node without a replica, in the same two-step change as a move), while appends go on;
   * the new replica serves every acknowledged record.
   */
  @Test
  void a_shard_created_with_fewer_replicas_than_asked_gets_them_when_a_node_joins() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 2, Map.of())) {
      List<Long> shards = ReplicaLifecycleIT.createStream(cluster.client(1), "meters", 2, 3, 0);
      Map<Long, SingleRecordProducer> producers = producersOnTwoNodes(cluster, shards);
      Map<Long, Set<Integer>> expected = new LinkedHashMap<>();
      shards.forEach(shard -> expected.put(shard, Set.of(1, 2, 3)));

      cluster.join(3);
      awaitReplicas(
          cluster, producers, expected, "every shard has the three replicas its stream asks for");

      for (long shard : shards) {
        SingleRecordProducer producer = producers.get(shard);
        awaitServes(cluster, 3, shard, producer);
        assertThat(producer.acked()).isGreaterThanOrEqualTo(15);
      }
    }
  }

  /**
   * A replicated stream created while a single node runs (the only metadata node) is a replicated
   * shard log from the start, on that node alone; once two more join, each shard gets the replicas
   * its replication factor asks for, and the new replicas serve every acknowledged record. (Before,
   * such a stream stayed in that node's local store for good.)
   */
  @Test
  void a_replicated_stream_created_while_one_node_runs_gets_its_replicas_when_nodes_join() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 1, 1, Map.of())) {
      List<Long> shards = ReplicaLifecycleIT.createStream(cluster.client(1), "meters", 2, 3, 0);
      Map<Long, SingleRecordProducer> producers = new LinkedHashMap<>();
      Map<Long, Set<Integer>> expected = new LinkedHashMap<>();
      for (long shard : shards) {
        PlacedStream placed = ReplicaLifecycleIT.placed(cluster, 1, "meters");
        assertThat(placed.replicasOf(shard)).as("shard %d alone", shard).containsExactly(1);
        assertThat(placed.isReplicated(shard)).as("shard %d is a replicated log", shard).isTrue();
        SingleRecordProducer producer =
            new SingleRecordProducer(cluster.client(1), "meters", shard);
        for (int i = 0; i < 10; i++) {
          producer.append();
        }
        producers.put(shard, producer);
        expected.put(shard, Set.of(1, 2, 3));
      }

      cluster.join(2);
      cluster.join(3);
      awaitReplicas(
          cluster, producers, expected, "every shard has the three replicas its stream asks for");

      for (long shard : shards) {
        SingleRecordProducer producer = producers.get(shard);
        for (int node = 2; node <= 3; node++) {
          awaitServes(cluster, node, shard, producer);
        }
        assertThat(producer.acked()).isGreaterThanOrEqualTo(15);
      }
    }
  }

  /**
   * Checks that every shard of "meters" is on nodes 1 and 2 (the two running) and appends 10
   * records to each through node 1.
   */
  private static Map<Long, SingleRecordProducer> producersOnTwoNodes(
      LocalCluster cluster, List<Long> shards) {
    Map<Long, SingleRecordProducer> producers = new LinkedHashMap<>();
    for (long shard : shards) {
      assertThat(Set.copyOf(ReplicaLifecycleIT.placed(cluster, 1, "meters").replicasOf(shard)))
          .as("shard %d while two nodes run", shard)
          .isEqualTo(Set.of(1, 2));
      SingleRecordProducer producer = new SingleRecordProducer(cluster.client(1), "meters", shard);
      for (int i = 0; i < 10; i++) {
        producer.append();
      }
      producers.put(shard, producer);
    }
    return producers;
  }

  /**
   * Waits, appending to every shard meanwhile, until each shard of "meters" has the {@code
   * expected} replicas and no change is under way; then appends 5 more records to each.
   */
  private static void awaitReplicas(
      LocalCluster cluster,
      Map<Long, SingleRecordProducer> producers,
      Map<Long, Set<Integer>> expected,
      String what) {
    Await.until(
        () -> what + ": " + ReplicaLifecycleIT.placed(cluster, 3, "meters"),
        CONVERGE,
        () -> {
          producers.values().forEach(SingleRecordProducer::append); // ingestion goes on
          PlacedStream now = ReplicaLifecycleIT.placed(cluster, 3, "meters");
          return now.settled()
              && expected.entrySet().stream()
                  .allMatch(e -> Set.copyOf(now.replicasOf(e.getKey())).equals(e.getValue()));
        });
    for (int i = 0; i < 5; i++) {
      producers.values().forEach(SingleRecordProducer::append);
    }
  }

  /** Waits until node {@code node} serves every record {@code producer} had acknowledged. */
  private static void awaitServes(
      LocalCluster cluster, int node, long shard, SingleRecordProducer producer) {
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
            seen.addAll(producer.ids(ReplicaLifecycleIT.readThrough(cluster.client(node), shard)));
          } catch (StatusRuntimeException e) {
            return false; // UNAVAILABLE while a leader recovers the shard: read again
          }
          return producer.violations(seen).isEmpty();
        });
  }

  /**
   * A node restarted after its shards' leadership moved to the others gets it back: each leader
   * hands a shard over to its preferred replica (the first in rendezvous order) once every replica
   * runs and that one is caught up ({@code PreferredLeaders}), so leadership does not pile up on
   * the nodes that stayed up. Appends go on meanwhile and lose nothing acknowledged.
   */
  @Test
  void a_restarted_node_leads_its_preferred_shards_again() {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, Map.of())) {
      List<Long> shards =
          ReplicaLifecycleIT.createStream(cluster.client(1), "meters", SHARDS, 3, 0);
      Map<Long, Integer> preferred = new LinkedHashMap<>();
      for (long shard : shards) {
        preferred.put(shard, RendezvousPlacement.place(shard, 1, List.of(1, 2, 3)).leader());
      }
      // Node 1 answers the lookups; the node restarted is the one of 2 and 3 preferred by more.
      int restarted =
          preferred.values().stream().filter(n -> n == 2).count()
                  >= preferred.values().stream().filter(n -> n == 3).count()
              ? 2
              : 3;
      assertThat(preferred.values()).contains(restarted);
      Map<Long, SingleRecordProducer> producers = new LinkedHashMap<>();
      for (long shard : shards) {
        producers.put(shard, new SingleRecordProducer(cluster.client(1), "meters", shard));
      }
      awaitLeaders(
          cluster, producers, "every shard led by its preferred replica", preferred::equals);

      cluster.stop(restarted);
      awaitLeaders(
          cluster,
          producers,
          "node " + restarted + "'s shards led by the others",
          leaders -> !leaders.containsValue(restarted));
      cluster.join(restarted);
      awaitLeaders(
          cluster,
          producers,
          "node " + restarted + " leads its preferred shards again",
          preferred::equals);

      for (long shard : shards) {
        SingleRecordProducer producer = producers.get(shard);
        producer.append();
        awaitServes(cluster, 1, shard, producer);
      }
    }
  }

  /** Waits until the leaders node 1's LookupShard names pass {@code test}, appending meanwhile. */
  private static void awaitLeaders(
      LocalCluster cluster,
      Map<Long, SingleRecordProducer> producers,
      String what,
      Predicate<Map<Long, Integer>> test) {
    Map<Long, Integer> seen = new LinkedHashMap<>();
    Await.until(
        () -> what + "; leaders now " + seen,
        CONVERGE,
        () -> {
          producers.values().forEach(SingleRecordProducer::append); // ingestion goes on
          seen.clear();
          try {
            seen.putAll(cluster.owners("meters"));
          } catch (StatusRuntimeException e) {
            return false; // a shard without a running leader for a moment: look again
          }
          return test.test(seen);
        });
  }
}
