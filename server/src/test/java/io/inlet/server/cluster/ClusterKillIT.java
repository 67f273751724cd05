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
 * two rounds that each kill -9 a node chosen at random and restart it; then every shard is read
 * through its owner and the history of every client operation is checked: nothing acknowledged
 * lost, no record id handed out twice, no record read twice, each client's acknowledged order kept.
 */
class ClusterKillIT {
  @TempDir Path dir;

  @Test
  void killing_nodes_under_load_loses_nothing_acknowledged_and_keeps_order() throws Exception {
    ClusterKillPlan plan =
        new ClusterKillPlan(
            3, 2, 3, 3, 2, 1, Duration.ofSeconds(3), Duration.ofSeconds(2), 12, dir, List.of());

    ClusterKillReport report = ClusterKillDrill.run(plan, System.out);

    assertThat(report.findings()).as("findings").isEmpty();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().idsHandedOutTwice()).isZero();
    assertThat(report.verdict().readTwice()).isZero();
    assertThat(report.verdict().outOfOrder()).isZero();
    assertThat(report.crashes()).isZero();
    // The load was real: records were acknowledged, and each round hit a running cluster.
    assertThat(report.verdict().acknowledged()).isPositive();
    assertThat(report.rounds()).hasSize(2);
    assertThat(report.passed()).isTrue();
  }
}
