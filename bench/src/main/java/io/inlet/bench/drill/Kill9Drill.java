package io.inlet.bench.drill;

import io.inlet.bench.client.StreamAdmin;
import io.inlet.bench.report.Figures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kill -9 rounds under mixed load: gRPC Append, MQTT QoS 1 and QoS 2 publishes and StreamingFetch
 * consumers run against one node; at a random moment it is killed with SIGKILL and restarted on the
 * same data dir, and everything acknowledged in every round so far is read back.
 */
@Command(
    name = "kill9",
    mixinStandardHelpOptions = true,
    description =
        "kill -9 rounds under Append + MQTT QoS 1/2 + StreamingFetch load, with"
            + " acknowledged-vs-stored accounting.")
final class Kill9Drill implements Callable<Integer> {
  static final String STREAM = "drill";
  static final String MQTT_STREAM = "mqtt"; // the built-in catch-all rule's stream

  @Mixin DrillSetup setup;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Kill rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--max-load-seconds",
      defaultValue = "6",
      description = "Load runs 1 s to this long before each kill (default: ${DEFAULT-VALUE}).")
  int maxLoadSeconds;

  @Option(
      names = "--appenders",
      defaultValue = "8",
      description = "Append threads (default: ${DEFAULT-VALUE}).")
  int appenders;

  @Option(
      names = "--mqtt-clients",
      defaultValue = "8",
      description = "MQTT clients, half QoS 1, half QoS 2 (default: ${DEFAULT-VALUE}).")
  int mqttClients;

  @Option(
      names = "--consumers",
      defaultValue = "2",
      description = "StreamingFetch consumers (default: ${DEFAULT-VALUE}).")
  int consumers;

  @Option(
      names = "--shards",
      defaultValue = "4",
      description = "Shards of the stream (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the kill times (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    Tally tally = new Tally("kill9");
    Ledger ledger = new Ledger();
    SplittableRandom random = new SplittableRandom(seed);
    try (DrillSetup run = setup) {
      Path data = setup.dataDir("data");
      long maxRecoveryNanos = 0;
      for (int round = 0; round <= rounds; round++) {
        DrillNode node = DrillNode.spawn(setup, data, "round-" + round, List.of());
        try {
          long readyNanos = node.awaitReady(DrillNode.START_TIMEOUT).toNanos();
          if (round > 0) { // a restart after a kill: recovery
            maxRecoveryNanos = Math.max(maxRecoveryNanos, readyNanos);
          }
        } catch (RuntimeException e) {
          tally.crashes.incrementAndGet();
          tally.finding(
              "round " + round + ": the node did not restart after kill -9: " + e.getMessage());
          node.close();
          break;
        }
        try (node) {
          if (round == 0) {
            new StreamAdmin(node.channel()).createStream(STREAM, shards);
            new StreamAdmin(node.channel()).createSubscription("drill-sub", STREAM, 30, 10_000);
          } else {
            check(node, ledger, tally, "after round " + (round - 1));
          }
          if (round == rounds) {
            break; // the last start only checks
          }
          runRound(node, ledger, tally, random, "r" + round);
        }
      }
      tally.figure("rounds", rounds);
      tally.figure("recovery_ms_max", maxRecoveryNanos / 1_000_000);
      tally.figure("delivered", ledger.deliveredCount());
      tally.figure("ids_reused", ledger.idsReused());
      if (ledger.idsReused() > 0) {
        tally.finding(ledger.idsReused() + " record ids were acknowledged twice");
      }
      return tally.report(System.out, setup.summaryFile);
    }
  }

  private void runRound(
      DrillNode node, Ledger ledger, Tally tally, SplittableRandom random, String tag) {
    List<Long> shardIds = new StreamAdmin(node.channel()).shardIds(STREAM);
    AppendLoad appends =
        new AppendLoad(node.channel(), STREAM, shardIds, ledger, tally, tag, false);
    MqttLoad mqtt = new MqttLoad("127.0.0.1", node.mqttPort(), ledger, tally, tag);
    FetchLoad fetch = new FetchLoad(node.channel(), "drill-sub", ledger, tally);
    fetch.start(consumers, tag);
    appends.start(appenders);
    mqtt.start(mqttClients);
    long loadMillis = 1000 + random.nextLong(Math.max(1, maxLoadSeconds * 1000L - 1000));
    boolean died = awaitLoad(node, ledger, loadMillis);
    if (died) {
      tally.crashes.incrementAndGet();
      tally.finding(
          "round " + tag + ": the node exited by itself under load:\n" + node.logTail(10));
    }
    node.kill();
    appends.stop();
    mqtt.stop();
    fetch.stop();
    System.err.printf(
        "round %s: killed after %d ms; acknowledged so far %d records, %d MQTT messages%n",
        tag, loadMillis, ledger.appendedCount(), ledger.publishedCount());
  }

  /**
   * Lets the load run {@code loadMillis}, and on (a slow machine) longer until both Appends and
   * MQTT publishes have been acknowledged in this round, at most 30 s more.
   *
   * @return whether the node exited by itself meanwhile
   */
  static boolean awaitLoad(DrillNode node, Ledger ledger, long loadMillis) {
    long appended = ledger.appendedCount();
    long published = ledger.publishedCount();
    if (node.awaitExit(Duration.ofMillis(loadMillis))) {
      return true;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((ledger.appendedCount() == appended || ledger.publishedCount() == published)
        && System.nanoTime() < deadline) {
      if (node.awaitExit(Duration.ofMillis(50))) {
        return true;
      }
    }
    return false;
  }

  /** Reads back everything acknowledged so far; adds what is missing to the tally. */
  static void check(DrillNode node, Ledger ledger, Tally tally, String when) {
    Ledger.Check check = ledger.verify(node.channel(), STREAM, MQTT_STREAM);
    tally.lost.accumulateAndGet(check.lost(), Math::max); // each check covers every round so far
    tally.figure("stored", check.storedRecords());
    tally.figure("changed_bytes", check.changedBytes());
    tally.figure("out_of_order", check.outOfOrder());
    tally.figure("stored_ids_twice", check.storedIdsTwice());
    tally.figure("qos2_duplicates", check.qos2Duplicates());
    tally.figure("qos1_duplicates", check.qos1Duplicates());
    tally.figure("delivered_missing", check.deliveredMissing());
    for (String problem : check.samples()) {
      tally.finding(when + ": " + problem);
    }
    System.err.printf(
        "%s: %s records stored, %d acknowledged lost%n",
        when, Figures.count(check.storedRecords()), check.lost());
  }
}
