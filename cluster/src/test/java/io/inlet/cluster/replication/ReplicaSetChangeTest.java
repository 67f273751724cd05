package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.LocalReplicas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard's replica set {0, 1, 2} changed to {2, 3, 0} (node 1 replaced by node 3) on four nodes in
 * this process. Entries acknowledged by {0, 1} while 2 was down are on one replica of the new set
 * only; when node 0 fails before they are copied, the next leader must seal a majority of the
 * previous set as well to find them.
 */
class ReplicaSetChangeTest {
  private static final long SHARD = 7;
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void a_leader_of_the_new_set_sealing_the_previous_set_too_keeps_every_acknowledged_entry() {
    try (LocalReplicas replicas = new LocalReplicas(dir, 4)) {
      List<String> acked = ackedOnZeroAndOneOnly(replicas);

      ShardLeader leader =
          replicas
              .node(2)
              .lead(
                  SHARD,
                  shardId -> List.of(replicas.address(3), replicas.address(0)),
                  List.of(replicas.address(0), replicas.address(1), replicas.address(2)),
                  replicas.epochs);

      assertThat(replicas.ids(2, SHARD)).isEqualTo(acked);
      Await.until("the change settles on the new set", LONG, leader::settledOnReplicas);
      Await.until(
          "node 3 holds every acknowledged entry",
          LONG,
          () -> acked.equals(replicas.idsWhileCatchingUp(3, SHARD)));
      leader.append(entry("after")).join();
    }
  }

  @Test
  void without_the_previous_set_a_leader_of_the_new_set_would_lose_acknowledged_entries() {
    // Why the rule exists: a majority of the new set alone ({2, 3}) has none of the entries.
    try (LocalReplicas replicas = new LocalReplicas(dir, 4)) {
      List<String> acked = ackedOnZeroAndOneOnly(replicas);
      assertThat(acked).hasSize(50);

      replicas
          .node(2)
          .lead(
              SHARD, shardId -> List.of(replicas.address(3), replicas.address(0)), replicas.epochs);

      assertThat(replicas.ids(2, SHARD)).isEmpty();
    }
  }

  /** 50 entries acknowledged by nodes 0 and 1 (node 2 down), then node 0 fails; 2 is back. */
  private static List<String> ackedOnZeroAndOneOnly(LocalReplicas replicas) {
    replicas.stop(2);
    ShardLeader first =
        replicas
            .node(0)
            .lead(
                SHARD,
                shardId -> List.of(replicas.address(1), replicas.address(2)),
                replicas.epochs);
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      first.append(entry("e-" + i)).join();
      acked.add("e-" + i);
    }
    replicas.stop(0);
    replicas.restart(2);
    return acked;
  }
}
