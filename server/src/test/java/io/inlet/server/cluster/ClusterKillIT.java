package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.clusterkill.ClusterKillDrill;
import io.inlet.server.testing.clusterkill.ClusterKillPlan;
import io.inlet.server.testing.clusterkill.ClusterKillReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster kill drill in the test suite ({@code bench/run.sh drill cluster-kill} runs the same
 * code with more rounds): three node processes, gRPC Append and MQTT QoS 1 load through every node,
 * two rounds that each kill -9 a node chosen at random and restart it (and the same with five
 * processes); then every shard is read through its owner and the history of every client operation
 * is checked: nothing acknowledged lost, no record id handed out twice, no record read twice, each
 * client's acknowledged order kept.
 */
class ClusterKillIT {
  @TempDir Path dir;

  @Test
  void killing_nodes_under_load_loses_nothing_acknowledged_and_keeps_order() throws Exception {
    ClusterKillPlan plan =
        new ClusterKillPlan(
            3, 2, 3, 3, 2, 1, Duration.ofSeconds(3), Duration.ofSeconds(2), 12, dir, List.of());

    assertPassed(ClusterKillDrill.run(plan, System.out), 2);
  }

  /**
   * Five processes at replication factor 3: a shard's three replicas are a subset of the nodes, so
   * a kill can leave a shard with all its replicas running while others lose one, and a restarted
   * node must find the leaders of shards it holds no replica of (the case that found a leader which
   * did not serve its last acknowledged batch after it led again).
   */
  @Test
  void five_nodes_at_replication_factor_three_lose_nothing_acknowledged() throws Exception {
    ClusterKillPlan plan =
        new ClusterKillPlan(
            5, 2, 3, 5, 1, 1, Duration.ofSeconds(3), Duration.ofSeconds(2), 13, dir, List.of());

    assertPassed(ClusterKillDrill.run(plan, System.out), 2);
  }

  private static void assertPassed(ClusterKillReport report, int rounds) {
    assertThat(report.findings()).as("findings").isEmpty();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().idsHandedOutTwice()).isZero();
    assertThat(report.verdict().readTwice()).isZero();
    assertThat(report.verdict().outOfOrder()).isZero();
    assertThat(report.crashes()).isZero();
    // The load was real: records were acknowledged, and each round hit a running cluster.
    assertThat(report.verdict().acknowledged()).isPositive();
    assertThat(report.rounds()).hasSize(rounds);
    assertThat(report.passed()).isTrue();
  }
}
