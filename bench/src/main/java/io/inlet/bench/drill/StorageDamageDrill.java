package io.inlet.bench.drill;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.RecordId;
import io.inlet.bench.client.StreamAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Storage damage, one case per kind: a node takes acknowledged Appends, stops (kill -9 for WAL
 * cases; a restart and clean stop first for table cases, so the data is in SST files), its data dir
 * is damaged, and it is started twice. Acceptable: it refuses to start with a message that says
 * what is wrong (and deletes nothing), or it starts and every acknowledged record is either read
 * back or reported loudly (DATA_LOSS on read, a warning or error in its log). Never acceptable:
 * acknowledged records silently missing, or record ids handed out again. The nodes keep their
 * shards' entries in RocksDB ({@code --shard-storage rocksdb}), whose files the cases damage.
 */
@Command(
    name = "storage-damage",
    mixinStandardHelpOptions = true,
    description =
        "Missing CURRENT, damaged WAL, SST and MANIFEST: refuse clearly or report loudly; never"
            + " lose acknowledged records silently or reuse ids.")
final class StorageDamageDrill implements Callable<Integer> {
  private static final String STREAM = "damage";
  private static final int SHARDS = 4;

  /** The cases damage RocksDB's files, so the shards' entries must be there. */
  private static final List<String> ENTRIES_IN_ROCKSDB = List.of("--shard-storage", "rocksdb");

  /** A warning or error in the node's own log that speaks of damage (not the command line). */
  static final Pattern LOUD =
      Pattern.compile(
          "^(?!# ).*\\b(WARN|ERROR)\\b.*(?i:corrupt|damage|data.?loss|lost|missing|checksum|refus)");

  /** A refusal that says what is wrong. */
  private static final Pattern CLEAR =
      Pattern.compile(
          "^(?!# ).*(?i:corrupt|damage|missing|CURRENT|MANIFEST|checksum|repair|\\.log\\b|\\.sst\\b)");

  @Mixin DrillSetup setup;

  @Option(
      names = "--load-seconds",
      defaultValue = "3",
      description = "Append load before the damage (default: ${DEFAULT-VALUE}).")
  int loadSeconds;

  @Option(
      names = "--case",
      paramLabel = "NAME",
      description = "Run only these cases (repeatable): ${COMPLETION-CANDIDATES}.")
  List<StorageDamage> only;

  @Override
  public Integer call() {
    Tally tally = new Tally("storage-damage");
    SplittableRandom random = new SplittableRandom(7);
    try (DrillSetup run = setup) {
      for (StorageDamage damage : only == null ? List.of(StorageDamage.values()) : only) {
        runCase(damage, tally, random);
      }
      return tally.report(System.out, setup.summaryFile);
    }
  }

  private void runCase(StorageDamage damage, Tally tally, SplittableRandom random) {
    tally.attempts.incrementAndGet();
    Path data = setup.dataDir("data-" + damage.name().toLowerCase());
    Ledger ledger = new Ledger();
    try (DrillNode node =
        DrillNode.start(setup, data, damage.name() + "-load", ENTRIES_IN_ROCKSDB)) {
      List<Long> shards = new StreamAdmin(node.channel()).createStream(STREAM, SHARDS);
      AppendLoad load =
          new AppendLoad(node.channel(), STREAM, shards, ledger, new Tally("load"), "d", false);
      load.start(SHARDS);
      awaitLoad(node, ledger);
      node.kill(); // the last acknowledged batches are only in the WAL
      load.stop();
    }
    if (damage.needsTables) {
      // recovery turns the WAL into table files; a clean stop leaves them
      try (DrillNode node =
          DrillNode.start(setup, data, damage.name() + "-flush", ENTRIES_IN_ROCKSDB)) {
        node.stop();
      }
      if (!StorageDamage.hasTables(data)) {
        tally.finding(damage.description + ": no SST file to damage after a restart and stop");
        return;
      }
    }
    tally.acknowledged.addAndGet(ledger.appendedCount());
    List<String> filesBefore = StorageDamage.logsAndTables(data);
    String damaged = damage.apply(data, random);
    String outcome = startTwice(damage, data, ledger, tally, filesBefore);
    tally
        .cases("damage", "file", "acknowledged", "outcome", "expected")
        .row(damage.description, damaged, ledger.appendedCount(), outcome, damage.expected);
    System.err.printf("%s: %s%n", damage.description, outcome);
  }

  /**
   * Lets the load run {@code --load-seconds}, and on a slow machine longer (at most 30 s more)
   * until {@value #MIN_ACKNOWLEDGED} records were acknowledged: enough for every shard to fill more
   * than one 16 KiB table block, so that damage to the first block is not damage to a shard's last
   * batch.
   */
  private void awaitLoad(DrillNode node, Ledger ledger) {
    if (node.awaitExit(Duration.ofSeconds(loadSeconds))) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ledger.appendedCount() < MIN_ACKNOWLEDGED && System.nanoTime() < deadline) {
      if (node.awaitExit(Duration.ofMillis(50))) {
        return;
      }
    }
  }

  private static final int MIN_ACKNOWLEDGED = 2_000;

  private String startTwice(
      StorageDamage damage, Path data, Ledger ledger, Tally tally, List<String> filesBefore) {
    for (int attempt = 1; attempt <= 2; attempt++) {
      DrillNode node =
          DrillNode.spawn(setup, data, damage.name() + "-start" + attempt, ENTRIES_IN_ROCKSDB);
      try {
        node.awaitReady(DrillNode.START_TIMEOUT);
      } catch (RuntimeException e) {
        List<String> clear = node.logLines(CLEAR);
        node.close();
        if (clear.isEmpty()) {
          tally.finding(
              damage.description
                  + ": start "
                  + attempt
                  + " failed without naming the damage: "
                  + HostileGrpcDrill.abbreviate(e.getMessage()));
        }
        continue;
      }
      try (node) {
        String outcome = judgeStarted(damage, node, ledger, tally, attempt);
        if (damage.expect == StorageDamage.Expect.REFUSE) {
          tally.finding(
              damage.description
                  + ": started (attempt "
                  + attempt
                  + "); expected: "
                  + damage.expected);
        }
        node.stop();
        return outcome;
      }
    }
    List<String> filesAfter = StorageDamage.logsAndTables(data);
    if (!filesAfter.containsAll(filesBefore.stream().filter(f -> !f.equals("CURRENT")).toList())) {
      tally.finding(
          damage.description
              + ": refused starts deleted files: before "
              + filesBefore
              + ", after "
              + filesAfter);
      return "refused, but DELETED FILES";
    }
    if (damage.expect == StorageDamage.Expect.START) {
      tally.finding(damage.description + ": refused to start; expected: " + damage.expected);
    }
    return "refused to start (twice)";
  }

  /** The node came up on damaged data: what it kept, and whether it said what it lost. */
  private String judgeStarted(
      StorageDamage damage, DrillNode node, Ledger ledger, Tally tally, int attempt) {
    Map<RecordId, ByteString> stored = new HashMap<>();
    int dataLossShards = 0;
    int otherFailures = 0;
    List<Long> shards;
    try {
      shards = new StreamAdmin(node.channel()).shardIds(STREAM);
    } catch (StatusRuntimeException e) {
      shards = List.of();
    }
    for (long shard : shards) {
      try {
        for (Ledger.Stored record : Ledger.readShard(node.channel(), shard, 30)) {
          stored.put(record.id(), record.payload());
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.DATA_LOSS) {
          dataLossShards++;
        } else {
          otherFailures++;
        }
      }
    }
    long missing = ledger.missingFrom(stored);
    List<String> loudLines = node.logLines(LOUD);
    boolean loud = dataLossShards > 0 || !loudLines.isEmpty();
    long reused = appendAgain(node, shards, ledger);
    String outcome =
        "started (attempt "
            + attempt
            + "): "
            + missing
            + " acknowledged missing"
            + (dataLossShards > 0 ? ", DATA_LOSS on " + dataLossShards + " shard(s)" : "")
            + (otherFailures > 0 ? ", " + otherFailures + " shard read(s) failed otherwise" : "")
            + (loudLines.isEmpty()
                ? ", nothing logged"
                : ", logged: " + HostileGrpcDrill.abbreviate(loudLines.get(0)))
            + (reused > 0 ? ", " + reused + " ids REUSED" : "");
    if (missing > 0 && !loud) {
      tally.lost.addAndGet(missing);
      tally.finding(
          damage.description
              + ": started and "
              + missing
              + " acknowledged records are silently missing");
    }
    if (reused > 0) {
      tally.add("ids_reused", reused);
      tally.finding(
          damage.description
              + ": new Appends were given "
              + reused
              + " record ids that had been acknowledged before");
    }
    if (otherFailures > 0) {
      tally.finding(
          damage.description
              + ": "
              + otherFailures
              + " shard read(s) failed with another status than DATA_LOSS (clients retry those)");
    }
    return outcome;
  }

  /** Appends one record to each shard; returns how many got an id acknowledged before. */
  private static long appendAgain(DrillNode node, List<Long> shards, Ledger ledger) {
    long before = ledger.idsReused();
    for (long shard : shards) {
      try {
        ledger.appendOne(node.channel(), STREAM, shard, ByteString.copyFromUtf8("after-damage"));
      } catch (StatusRuntimeException e) {
        // refusing writes on a damaged shard is acceptable
      }
    }
    return ledger.idsReused() - before;
  }
}
