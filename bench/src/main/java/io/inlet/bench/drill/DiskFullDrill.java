package io.inlet.bench.drill;

import io.inlet.bench.client.StreamAdmin;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Disk full: the node's data dir is on a small tmpfs (mounted here, as root) that also holds a
 * ballast file. Append and MQTT load fills it; writes must then be refused cleanly (UNAVAILABLE or
 * RESOURCE_EXHAUSTED, never INTERNAL), the node must stay healthy and say it is not ready, and once
 * the ballast is deleted writes must resume. Finally the node is killed and restarted on the same
 * tmpfs and every acknowledged record is read back.
 */
@Command(
    name = "disk-full",
    mixinStandardHelpOptions = true,
    description =
        "Fill a small tmpfs under load; refuse cleanly, keep acked data, resume when freed.")
final class DiskFullDrill implements Callable<Integer> {
  private static final String STREAM = "full";

  @Mixin DrillSetup setup;

  @Option(
      names = "--size-mib",
      defaultValue = "96",
      description = "Size of the tmpfs (default: ${DEFAULT-VALUE}).")
  int sizeMib;

  @Option(
      names = "--ballast-mib",
      defaultValue = "24",
      description = "Ballast file deleted to free space (default: ${DEFAULT-VALUE}).")
  int ballastMib;

  @Option(
      names = "--full-seconds",
      defaultValue = "5",
      description = "Load kept on a full disk (default: ${DEFAULT-VALUE}).")
  int fullSeconds;

  @Option(
      names = "--fill-timeout",
      defaultValue = "PT180S",
      description = "Longest time to fill the disk (default: ${DEFAULT-VALUE}).")
  Duration fillTimeout;

  @Option(
      names = "--resume-timeout",
      defaultValue = "PT60S",
      description = "How soon writes must resume once space is freed (default: ${DEFAULT-VALUE}).")
  Duration resumeTimeout;

  @Override
  public Integer call() throws Exception {
    Tally tally = new Tally("disk-full");
    Ledger ledger = new Ledger();
    try (DrillSetup run = setup) {
      Path mount = Files.createDirectories(setup.workDir().resolve("tmpfs"));
      Shell.run(
          "mount", "-t", "tmpfs", "-o", "size=" + sizeMib + "m", "inlet-drill", mount.toString());
      try {
        Path ballast = mount.resolve("ballast");
        try (RandomAccessFile file = new RandomAccessFile(ballast.toFile(), "rw")) {
          file.write(new byte[ballastMib << 20]);
        }
        Path data = mount.resolve("data");
        try (DrillNode node = DrillNode.start(setup, data, "node", List.of())) {
          fillAndFree(node, ledger, tally, ballast, mount);
          node.kill();
        }
        try (DrillNode node = DrillNode.start(setup, data, "restart", List.of())) {
          Ledger.Check check = ledger.verify(node.channel(), STREAM, Kill9Drill.MQTT_STREAM);
          tally.lost.set(check.lost());
          check.samples().forEach(s -> tally.finding("after the restart: " + s));
          node.stop();
        } catch (IllegalStateException e) {
          tally.crashes.incrementAndGet();
          tally.finding(
              "the node did not start again on the disk that had been full: " + e.getMessage());
        }
      } finally {
        Shell.run("umount", mount.toString());
      }
      tally.figure("ids_reused", ledger.idsReused());
      if (ledger.idsReused() > 0) {
        tally.finding(ledger.idsReused() + " record ids were acknowledged twice");
      }
      return tally.report(System.out, setup.summaryFile);
    }
  }

  /** In /ready's storeReason: "... has 36.8 MiB free (the WAL's ...); it has 8.4 MiB now". */
  private static final Pattern NEEDED =
      Pattern.compile("has ([0-9.]+) MiB free \\(the WAL's[^)]*\\); it has ([0-9.]+) MiB now");

  private void fillAndFree(DrillNode node, Ledger ledger, Tally tally, Path ballast, Path mount)
      throws IOException {
    List<Long> shards = new StreamAdmin(node.channel()).createStream(STREAM, 2);
    AppendLoad appends = new AppendLoad(node.channel(), STREAM, shards, ledger, tally, "f", true);
    MqttLoad mqtt = new MqttLoad("127.0.0.1", node.mqttPort(), ledger, tally, "f");
    appends.start(4);
    mqtt.start(2);
    long deadline = System.nanoTime() + fillTimeout.toNanos();
    while (tally.figure("append_errors") == 0 && node.isAlive() && System.nanoTime() < deadline) {
      node.awaitExit(Duration.ofMillis(100));
    }
    if (tally.figure("append_errors") == 0) {
      tally.finding("the disk never filled within " + fillTimeout.toSeconds() + " s");
    }
    node.awaitExit(Duration.ofSeconds(fullSeconds)); // keep pushing against the full disk
    boolean healthy = node.isAlive() && HttpProbe.healthy(node.httpPort(), Duration.ofSeconds(5));
    int ready = HttpProbe.get(node.httpPort(), "/ready", Duration.ofSeconds(5));
    tally.figure("ready_status_while_full", ready);
    if (!healthy) {
      tally.crashes.incrementAndGet();
      tally.finding(
          "with a full disk the node " + (node.isAlive() ? "did not answer /health" : "exited"));
    }
    if (ready == 200) {
      tally.finding("/ready answered 200 while writes were refused for a full disk");
    }
    appends
        .errorCodes()
        .forEach(
            (code, count) -> {
              tally.figure("refused_" + code, count);
              if (!code.equals("UNAVAILABLE") && !code.equals("RESOURCE_EXHAUSTED")) {
                tally.finding(
                    count
                        + " Appends on the full disk failed with "
                        + code
                        + " (expected UNAVAILABLE or RESOURCE_EXHAUSTED)");
              }
            });
    long refusedBefore = tally.figure("append_errors");
    long ackedBefore = tally.acknowledged.get();
    Files.delete(ballast);
    long freed = System.nanoTime();
    long resumeDeadline = freed + resumeTimeout.toNanos();
    while (tally.acknowledged.get() == ackedBefore && System.nanoTime() < resumeDeadline) {
      node.awaitExit(Duration.ofMillis(50));
    }
    if (tally.acknowledged.get() > ackedBefore) {
      tally.figure("resume_ms", (System.nanoTime() - freed) / 1_000_000);
    } else {
      // Writes resume once the file system has the WAL's size + 4 MiB free (durability.md, A full
      // disk); the node must say so, with the numbers, and resume once that much is there.
      tally.figure("resume_ms", "not after freeing " + ballastMib + " MiB");
      String readyBody = HttpProbe.response(node.httpPort(), "/ready", Duration.ofSeconds(5));
      Matcher needed = NEEDED.matcher(readyBody);
      if (!needed.find()) {
        tally.finding(
            "writes did not resume within "
                + resumeTimeout.toSeconds()
                + " s of freeing "
                + ballastMib
                + " MiB, and /ready does not say what free space brings them back: "
                + HostileGrpcDrill.abbreviate(readyBody));
      } else {
        double neededMib = Double.parseDouble(needed.group(1));
        double freeMib = Double.parseDouble(needed.group(2));
        tally.figure("free_mib_needed", needed.group(1));
        int grown = sizeMib + (int) Math.ceil(neededMib - freeMib) + 1;
        Shell.run("mount", "-o", "remount,size=" + grown + "m", mount.toString());
        tally.figure("tmpfs_grown_to_mib", grown);
        long grownAt = System.nanoTime();
        long grownDeadline = grownAt + resumeTimeout.toNanos();
        while (tally.acknowledged.get() == ackedBefore && System.nanoTime() < grownDeadline) {
          node.awaitExit(Duration.ofMillis(50));
        }
        if (tally.acknowledged.get() > ackedBefore) {
          tally.figure("resume_ms_once_enough", (System.nanoTime() - grownAt) / 1_000_000);
        } else {
          tally.figure("resume_ms_once_enough", "never");
          tally.finding(
              "writes did not resume within "
                  + resumeTimeout.toSeconds()
                  + " s of the file system having the free space /ready asked for ("
                  + needed.group(1)
                  + " MiB)");
        }
      }
    }
    appends.stop();
    mqtt.stop();
    tally.figure("refused_while_full", refusedBefore);
  }
}
