package io.inlet.bench.drill;

import io.inlet.server.testing.clusterkill.ClusterKillReport;
import io.inlet.server.testing.clusterkill.RollingRestartDrill;
import io.inlet.server.testing.clusterkill.RollingRestartPlan;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code drill rolling-restart}: N node processes in one cluster under gRPC Append and MQTT QoS 1
 * load, each stopped with SIGTERM and started again in turn; every client operation is recorded and
 * checked against the final read of every shard. The drill is the server's {@link
 * RollingRestartDrill}, which {@code ClusterRollingRestartIT} runs too.
 */
@Command(
    name = "rolling-restart",
    mixinStandardHelpOptions = true,
    description =
        "restart every node of a local cluster in turn (SIGTERM, same data dir and ports) under"
            + " Append + MQTT QoS 1 load; checks the history of every client operation.")
final class RollingRestartCommand implements Callable<Integer> {
  @Mixin DrillSetup setup;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Node processes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--replication-factor",
      defaultValue = "3",
      description = "Replication factor of the drill's streams (default: ${DEFAULT-VALUE}).")
  int replicationFactor;

  @Option(
      names = "--shards",
      defaultValue = "4",
      description =
          "Shards of each stream, `drill` (Append) and `mqtt` (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--append-clients",
      defaultValue = "2",
      description = "gRPC Append clients per node (default: ${DEFAULT-VALUE}).")
  int appendClients;

  @Option(
      names = "--mqtt-clients",
      defaultValue = "1",
      description = "MQTT QoS 1 publishers per node (default: ${DEFAULT-VALUE}).")
  int mqttClients;

  @Option(
      names = "--load-seconds",
      defaultValue = "5",
      description = "Load runs this long before each restart (default: ${DEFAULT-VALUE}).")
  int loadSeconds;

  @Option(
      names = "--bound-seconds",
      defaultValue = "60",
      description =
          "Every shard must take appends within this long of a node's exit, and through it within"
              + " this long of its /ready (default: ${DEFAULT-VALUE}).")
  int boundSeconds;

  @Override
  public Integer call() throws Exception {
    Tally tally = new Tally("rolling-restart");
    try (DrillSetup run = setup) {
      RollingRestartPlan plan =
          new RollingRestartPlan(
              nodes,
              replicationFactor,
              shards,
              appendClients,
              mqttClients,
              Duration.ofSeconds(loadSeconds),
              Duration.ofSeconds(boundSeconds),
              setup.workDir(),
              setup.serverArgs());
      ClusterKillReport report = RollingRestartDrill.run(plan, System.err);
      tally.attempts.set(report.verdict().attempts());
      tally.acknowledged.set(report.verdict().acknowledged());
      tally.lost.set(report.verdict().lost());
      tally.crashes.set(report.crashes());
      report.figures().forEach(tally::figure);
      report.findings().forEach(tally::finding);
      System.out.println();
      report.rounds().forEach(System.out::println);
      return tally.report(
          System.out, setup.summaryFile, report.passed(), report.passed() ? "PASS" : "FAIL");
    }
  }
}
