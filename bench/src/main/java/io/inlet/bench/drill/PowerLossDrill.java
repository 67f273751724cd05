package io.inlet.bench.drill;

import io.inlet.bench.client.StreamAdmin;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Power loss: the node's data dir is on the power-loss file system. Rounds of Append + MQTT QoS 1/2
 * + StreamingFetch load end in a power cut (everything not fsync'd is dropped), a kill -9, an
 * unmount and a remount; the node restarts and every acknowledged record is read back. With {@code
 * --server-arg=--unsafe-skip-fsync --expect-loss} the drill passes only if records are lost: it
 * proves it can fail.
 */
@Command(
    name = "power-loss",
    mixinStandardHelpOptions = true,
    description =
        "Power cuts on the power-loss FUSE file system under load (root, fuse3, python3-fusepy).")
final class PowerLossDrill implements Callable<Integer> {

  @Mixin DrillSetup setup;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Power cuts (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--max-load-seconds",
      defaultValue = "6",
      description = "Load runs 2 s to this long before each cut (default: ${DEFAULT-VALUE}).")
  int maxLoadSeconds;

  @Option(
      names = "--fs-script",
      paramLabel = "PATH",
      description =
          "The file system script. Default: server/src/test/resources/powerloss/powerlossfs.py under the repository.")
  Path script;

  @Option(
      names = "--precreate-data-dir",
      description =
          "Create the data dir and fsync its parent before the first start (as an operator would), instead of letting Inlet create it.")
  boolean precreateDataDir;

  @Option(
      names = "--expect-loss",
      description =
          "Pass only if acknowledged records are lost (with --server-arg=--unsafe-skip-fsync).")
  boolean expectLoss;

  /** What a node says when its log holds less than it acknowledged before the cut. */
  private static final String STORE_DETECTED_LOSS = "recovery would lose acknowledged data";

  @Override
  public Integer call() throws Exception {
    Tally tally = new Tally(expectLoss ? "power-loss-expect-loss" : "power-loss");
    Ledger ledger = new Ledger();
    SplittableRandom random = new SplittableRandom(3);
    Path fs =
        script != null
            ? script
            : repositoryRoot().resolve("server/src/test/resources/powerloss/powerlossfs.py");
    try (DrillSetup run = setup) {
      Path store = setup.workDir().resolve("fs-store");
      Path mountpoint = setup.workDir().resolve("mnt");
      Path data = mountpoint.resolve("data");
      Path fsLog = setup.workDir().resolve("powerlossfs.log");
      long droppedBytes = 0;
      boolean refusedForLoss = false;
      long maxRecovery = 0;
      for (int round = 0; round <= rounds; round++) {
        try (PowerLossMount mount = PowerLossMount.mount(fs, store, mountpoint, fsLog)) {
          if (round == 0 && precreateDataDir) {
            Files.createDirectories(data);
            try (FileChannel root = FileChannel.open(mountpoint, StandardOpenOption.READ)) {
              root.force(true);
            }
          }
          DrillNode node = DrillNode.spawn(setup, data, "round-" + round, List.of());
          try {
            long readyMillis = node.awaitReady(DrillNode.START_TIMEOUT).toMillis();
            if (round > 0) { // a restart after a power cut: recovery
              maxRecovery = Math.max(maxRecovery, readyMillis);
            }
          } catch (RuntimeException e) {
            node.close();
            if (expectLoss && String.valueOf(e.getMessage()).contains(STORE_DETECTED_LOSS)) {
              // The store's marker remembers what was acknowledged: a loss, refused loudly.
              refusedForLoss = true;
              tally.figure("restart_refused", STORE_DETECTED_LOSS);
              break;
            }
            tally.crashes.incrementAndGet();
            tally.finding(
                "round "
                    + round
                    + ": the node did not start after the power cut: "
                    + e.getMessage());
            break;
          }
          try (node) {
            if (round > 0) {
              Kill9Drill.check(node, ledger, tally, "after power cut " + round);
            }
            if (!exists(node)) {
              if (round > 0) {
                tally.finding("after power cut " + round + " the stream is gone; created again");
              }
              new StreamAdmin(node.channel()).createStream(Kill9Drill.STREAM, 4);
              new StreamAdmin(node.channel())
                  .createSubscription("drill-sub", Kill9Drill.STREAM, 30, 10_000);
            }
            if (round == rounds) {
              node.stop();
              mount.unmount();
              break;
            }
            droppedBytes += loadAndCut(node, mount, ledger, tally, random, "p" + round);
          }
          mount.unmount();
        }
      }
      tally.figure("rounds", rounds);
      tally.figure("dropped_unsynced_bytes", droppedBytes);
      tally.figure("recovery_ms_max", maxRecovery);
      tally.figure("ids_reused", ledger.idsReused());
      if (ledger.idsReused() > 0) {
        tally.finding(ledger.idsReused() + " record ids were acknowledged twice");
      }
      if (expectLoss) {
        boolean lostSome = tally.lost.get() > 0 || refusedForLoss;
        return tally.report(
            System.out,
            setup.summaryFile,
            lostSome,
            lostSome ? "PASS (lost records, as expected without fsync)" : "FAIL (expected a loss)");
      }
      return tally.report(System.out, setup.summaryFile);
    }
  }

  private long loadAndCut(
      DrillNode node,
      PowerLossMount mount,
      Ledger ledger,
      Tally tally,
      SplittableRandom random,
      String tag)
      throws IOException {
    List<Long> shards = new StreamAdmin(node.channel()).shardIds(Kill9Drill.STREAM);
    AppendLoad appends =
        new AppendLoad(node.channel(), Kill9Drill.STREAM, shards, ledger, tally, tag, false);
    MqttLoad mqtt = new MqttLoad("127.0.0.1", node.mqttPort(), ledger, tally, tag);
    FetchLoad fetch = new FetchLoad(node.channel(), "drill-sub", ledger, tally);
    // With --expect-loss, no consumers: their checkpoints are synced writes, and each one makes
    // every append before it durable too, hiding what --unsafe-skip-fsync does.
    fetch.start(expectLoss ? 0 : 2, tag);
    appends.start(6);
    mqtt.start(4);
    long loadMillis = 2000 + random.nextLong(Math.max(1, maxLoadSeconds * 1000L - 2000));
    if (Kill9Drill.awaitLoad(node, ledger, loadMillis)) {
      tally.crashes.incrementAndGet();
      tally.finding("round " + tag + ": the node exited by itself under load");
    }
    String cut = mount.cut(); // the disk stops persisting; the process dies a moment later
    node.kill();
    appends.stop();
    mqtt.stop();
    fetch.stop();
    System.err.printf("round %s: power cut after %d ms: %s%n", tag, loadMillis, cut);
    java.util.regex.Matcher dropped =
        java.util.regex.Pattern.compile("\"droppedBytes\": (\\d+)").matcher(cut);
    return dropped.find() ? Long.parseLong(dropped.group(1)) : 0;
  }

  private static boolean exists(DrillNode node) {
    try {
      new StreamAdmin(node.channel()).shardIds(Kill9Drill.STREAM);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The repository: INLET_REPO_ROOT (set by bench/run.sh), else the working directory upwards. */
  static Path repositoryRoot() {
    String configured = System.getenv("INLET_REPO_ROOT");
    Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("bench"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the repository; set INLET_REPO_ROOT or --fs-script");
    }
    return dir;
  }
}
