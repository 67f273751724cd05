package io.inlet.bench.drill;

import io.inlet.server.testing.clusterkill.ClusterKillDrill;
import io.inlet.server.testing.clusterkill.ClusterKillPlan;
import io.inlet.server.testing.clusterkill.ClusterKillReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code drill cluster-kill}: N node processes in one cluster under gRPC Append and MQTT QoS 1
 * load, a node killed with SIGKILL each round and restarted; every client operation is recorded and
 * checked against the final read of every shard. The drill itself is the server's {@link
 * ClusterKillDrill}, which {@code ClusterKillIT} runs too; this command gives it options and prints
 * its report in the drills' format.
 */
@Command(
    name = "cluster-kill",
    mixinStandardHelpOptions = true,
    description =
        "kill -9 a random node of a local cluster each round under Append + MQTT QoS 1 load;"
            + " checks the history of every client operation.")
final class ClusterKillCommand implements Callable<Integer> {
  @Mixin DrillSetup setup;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Node processes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Kill rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

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
      names = "--max-load-seconds",
      defaultValue = "4",
      description = "Load runs 1 s to this long before each kill (default: ${DEFAULT-VALUE}).")
  int maxLoadSeconds;

  @Option(
      names = "--down-seconds",
      defaultValue = "3",
      description = "A killed node stays down this long, load running (default: ${DEFAULT-VALUE}).")
  int downSeconds;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the choice of node and moment (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Tally tally = new Tally("cluster-kill");
    try (DrillSetup run = setup) {
      ClusterKillPlan plan =
          new ClusterKillPlan(
              nodes,
              rounds,
              replicationFactor,
              shards,
              appendClients,
              mqttClients,
              Duration.ofSeconds(maxLoadSeconds),
              Duration.ofSeconds(downSeconds),
              seed,
              setup.workDir(),
              setup.serverArgs());
      ClusterKillReport report = ClusterKillDrill.run(plan, System.err);
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
