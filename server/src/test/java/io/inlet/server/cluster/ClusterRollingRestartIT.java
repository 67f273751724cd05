package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.clusterkill.ClusterKillReport;
import io.inlet.server.testing.clusterkill.RollingRestartDrill;
import io.inlet.server.testing.clusterkill.RollingRestartPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart under load ({@link RollingRestartDrill}): three node processes on loopback,
 * streams with replication factor 3, gRPC Append and MQTT QoS 1 load through every node; each node
 * in turn is stopped with SIGTERM and started again on its data dir and ports. While it is down
 * every shard takes appends through the two others, and once it is ready, through it too (within a
 * generous 60 s each: a liveness bound, not a timing). Then every shard is read and the history of
 * every client operation is checked: nothing acknowledged lost, no id twice, order kept.
 */
class ClusterRollingRestartIT {
  @TempDir Path dir;

  @Test
  void restarting_every_node_in_turn_under_load_loses_nothing_and_keeps_answering()
      throws Exception {
    RollingRestartPlan plan =
        new RollingRestartPlan(
            3, 3, 2, 2, 1, Duration.ofSeconds(2), Duration.ofSeconds(60), dir, List.of());

    ClusterKillReport report = RollingRestartDrill.run(plan, System.out);

    assertThat(report.findings()).as("findings").isEmpty();
    assertThat(report.verdict().lost()).isZero();
    assertThat(report.verdict().idsHandedOutTwice()).isZero();
    assertThat(report.verdict().readTwice()).isZero();
    assertThat(report.verdict().outOfOrder()).isZero();
    assertThat(report.crashes()).isZero();
    assertThat(report.verdict().acknowledged()).isPositive();
    assertThat(report.rounds()).hasSize(3);
    assertThat(report.passed()).isTrue();
  }
}
