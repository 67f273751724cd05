package io.inlet.bench.append;

import io.inlet.bench.fsync.FsyncCeiling;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.report.QuietMachine;
import io.inlet.bench.server.BenchTarget;
import io.inlet.bench.server.TargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code append}: durable Append throughput and latency. */
@Command(
    name = "append",
    description =
        "Durable Append throughput: concurrent clients, each with one Append in flight, against a"
            + " server started for the run (or --server).",
    mixinStandardHelpOptions = true)
public final class AppendCommand implements Callable<Integer> {
  static final int[] MATRIX_RECORD_BYTES = {100, 1024};
  static final int[] MATRIX_BATCH_SIZES = {1, 100, 1000};
  static final int[] MATRIX_CLIENTS = {1, 4, 16, 64};
  static final int MAX_CHANNELS = 16;
  static final double GOAL_BATCHED_RECORDS_PER_SECOND = 1_000_000;
  static final double GOAL_SINGLE_APPENDS_PER_SECOND = 40_000;

  @Mixin TargetOptions target;

  @Option(
      names = "--record-bytes",
      description = "Payload bytes per record. Default: ${DEFAULT-VALUE}.",
      defaultValue = "100")
  int recordBytes;

  @Option(
      names = "--batch",
      description = "Records per Append. Default: ${DEFAULT-VALUE}.",
      defaultValue = "100")
  int batchSize;

  @Option(
      names = "--clients",
      description =
          "Concurrent clients (1..64), one Append in flight each. Default: ${DEFAULT-VALUE}.",
      defaultValue = "16")
  int clients;

  @Option(
      names = "--channels",
      description =
          "gRPC channels (connections) the clients share; 0 = one per client up to "
              + MAX_CHANNELS
              + ". Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  int channels;

  @Option(
      names = "--shards",
      description = "Shards of the benchmark stream. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4")
  int shards;

  @Option(
      names = "--replication-factor",
      description =
          "Copies of each record: the benchmark stream's replicationFactor (a cluster with"
              + " metadata-nodes). Default: ${DEFAULT-VALUE}.",
      defaultValue = "1")
  int replicationFactor;

  @Option(
      names = "--follow-leaders",
      description =
          "Send each shard's appends to the node LookupShard names (its leader), as HStreamDB"
              + " clients do, instead of to --server, which would forward those of other nodes.")
  boolean followLeaders;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      description = "Warm-up, not measured. Default: ${DEFAULT-VALUE}.",
      defaultValue = "8")
  int warmupSeconds;

  @Option(
      names = "--max-warmup",
      paramLabel = "SECONDS",
      description =
          "After --warmup, keep warming up while the spawned server's JIT compiler threads use more"
              + " than 0.05 cores (checked every 2 s), up to this many seconds of warm-up in all;"
              + " the same as --warmup for a fixed warm-up. A server still compiling spends up to"
              + " twice the CPU per Append. Default: ${DEFAULT-VALUE}.",
      defaultValue = "60")
  int maxWarmupSeconds;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Measured time per run. Default: ${DEFAULT-VALUE}.",
      defaultValue = "10")
  int durationSeconds;

  @Option(
      names = "--matrix",
      description =
          "Run the whole grid: 100 B and 1 KiB records x batch 1, 100, 1000 x clients 1, 4, 16, 64.")
  boolean matrix;

  @Option(
      names = "--reuse-server",
      description = "With --matrix: one spawned server for all runs instead of a fresh one each.")
  boolean reuseServer;

  @Option(names = "--no-fsync-ceiling", description = "Skip measuring the fsync ceiling.")
  boolean skipFsyncCeiling;

  @Option(
      names = "--await-quiet",
      paramLabel = "CORES",
      description =
          "Before each run, wait (up to 15 min) until other processes use at most CORES of CPU."
              + " Default: ${DEFAULT-VALUE} (do not wait).",
      defaultValue = "0")
  double awaitQuietCores;

  @Option(
      names = "--noisy-retries",
      description =
          "With --await-quiet: run again, up to this many times, when other processes used more"
              + " than CORES during the run; the quietest attempt is reported."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "2")
  int noisyRetries;

  @Option(names = "--progress", description = "Print records/s every second to stderr.")
  boolean progress;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || clients > 64) {
      throw new IllegalArgumentException("--clients must be 1..64, found: " + clients);
    }
    List<AppendSpec> specs =
        matrix ? matrixSpecs() : List.of(spec(recordBytes, batchSize, clients));
    FsyncCeiling.Figures ceiling = skipFsyncCeiling ? null : measureCeiling();
    List<AppendOutcome> outcomes = new ArrayList<>();
    BenchTarget shared = matrix && reuseServer || target.external() ? target.open("append") : null;
    try {
      for (AppendSpec spec : specs) {
        System.err.printf("run %d/%d: %s%n", outcomes.size() + 1, specs.size(), spec.label());
        AppendOutcome outcome = null;
        for (int attempt = 1; attempt <= 1 + noisyRetries; attempt++) {
          QuietMachine.await(awaitQuietCores, 900);
          AppendOutcome tried = runOnce(shared, spec);
          printRunSummary(tried);
          if (outcome == null || tried.usage().otherCores() < outcome.usage().otherCores()) {
            outcome = tried;
          }
          if (awaitQuietCores <= 0 || outcome.usage().otherCores() <= awaitQuietCores) {
            break;
          }
          System.err.printf(
              Locale.ROOT,
              "  other processes used %.2f cores during the run; running it again%n",
              tried.usage().otherCores());
        }
        outcomes.add(outcome);
      }
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
    System.out.println();
    System.out.println(
        "Append: MB = 10^6 payload bytes; latency per Append call; "
            + "CPU in cores (this machine has "
            + Runtime.getRuntime().availableProcessors()
            + ")");
    if (ceiling != null) {
      System.out.println("fsync ceiling: " + ceiling.describe());
    }
    table(outcomes, ceiling).print(System.out);
    if (matrix) {
      printGoals(outcomes);
    }
    return 0;
  }

  private AppendOutcome runOnce(BenchTarget shared, AppendSpec spec) throws InterruptedException {
    if (shared != null) {
      return AppendDriver.run(shared, spec, progress);
    }
    try (BenchTarget fresh = target.open("append")) {
      return AppendDriver.run(fresh, spec, progress);
    }
  }

  private AppendSpec spec(int bytes, int batch, int clientCount) {
    int channelCount = channels > 0 ? channels : Math.min(clientCount, MAX_CHANNELS);
    return new AppendSpec(
        bytes,
        batch,
        clientCount,
        channelCount,
        shards,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(Math.max(warmupSeconds, maxWarmupSeconds)),
        Duration.ofSeconds(durationSeconds),
        replicationFactor,
        followLeaders);
  }

  private List<AppendSpec> matrixSpecs() {
    List<AppendSpec> specs = new ArrayList<>();
    for (int bytes : MATRIX_RECORD_BYTES) {
      for (int batch : MATRIX_BATCH_SIZES) {
        for (int clientCount : MATRIX_CLIENTS) {
          specs.add(spec(bytes, batch, clientCount));
        }
      }
    }
    return specs;
  }

  private FsyncCeiling.Figures measureCeiling() {
    Path dir = target.external() ? target.serverDataDirOrTemp() : target.dataRoot();
    FsyncCeiling.Figures figures = FsyncCeiling.measure(dir, 256, 5000);
    System.err.println("fsync ceiling in " + dir + ": " + figures.describe());
    return figures;
  }

  private static void printRunSummary(AppendOutcome outcome) {
    System.err.printf(
        Locale.ROOT,
        "  => %,.0f records/s, p99 %s ms, server %.2f cores, bench %.2f cores, others %.2f cores,"
            + " %d errors%s%n",
        outcome.recordsPerSecond(),
        Figures.millis(outcome.latency().getValueAtPercentile(99)),
        outcome.usage().serverCores(),
        outcome.usage().benchCores(),
        outcome.usage().otherCores(),
        outcome.errors(),
        outcome.firstError() == null ? "" : " (first: " + outcome.firstError() + ")");
    for (String line : outcome.usage().serverThreads()) {
      System.err.println("     " + line);
    }
  }

  static MarkdownTable table(List<AppendOutcome> outcomes, FsyncCeiling.Figures ceiling) {
    MarkdownTable table =
        new MarkdownTable(
            "record B",
            "batch",
            "clients",
            "records/s",
            "MB/s",
            "appends/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "server cores",
            "bench cores",
            "other cores",
            "load",
            "disk MB/s",
            "disk flushes/s",
            "MB/s vs dd",
            "appends/s vs 4k syncs/s",
            "errors");
    for (AppendOutcome o : outcomes) {
      AppendSpec spec = o.spec();
      table.row(
          spec.recordBytes(),
          spec.batchSize(),
          spec.clients(),
          Figures.count(o.recordsPerSecond()),
          Figures.megabytes(o.payloadBytesPerSecond()),
          Figures.count(o.appendsPerSecond()),
          Figures.millis(o.latency().getValueAtPercentile(50)),
          Figures.millis(o.latency().getValueAtPercentile(99)),
          Figures.millis(o.latency().getValueAtPercentile(99.9)),
          Figures.twoDecimals(o.usage().serverCores()),
          Figures.twoDecimals(o.usage().benchCores()),
          Figures.twoDecimals(o.usage().otherCores()),
          Figures.oneDecimal(o.usage().loadAverage()),
          Figures.megabytes(o.usage().deviceWriteBytesPerSecond()),
          Figures.count(o.usage().deviceFlushesPerSecond()),
          ceiling == null
              ? "-"
              : Figures.percent(o.payloadBytesPerSecond() / ceiling.bulkBytesPerSecond()),
          ceiling == null
              ? "-"
              : Figures.twoDecimals(o.appendsPerSecond() / ceiling.smallWritesPerSecond()),
          o.errors());
    }
    return table;
  }

  private static void printGoals(List<AppendOutcome> outcomes) {
    double batched =
        best(outcomes, o -> o.spec().recordBytes() == 100 && o.spec().batchSize() == 1000);
    double single =
        best(
            outcomes,
            o ->
                o.spec().recordBytes() == 100
                    && o.spec().batchSize() == 1
                    && o.spec().clients() == 64);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "goal: >= %,.0f records/s, 100 B records in batches of 1000 (best over clients): %,.0f -> %s%n",
        GOAL_BATCHED_RECORDS_PER_SECOND,
        batched,
        batched >= GOAL_BATCHED_RECORDS_PER_SECOND ? "MET" : "MISSED");
    System.out.printf(
        Locale.ROOT,
        "goal: >= %,.0f single-record appends/s from 64 clients (100 B): %,.0f -> %s%n",
        GOAL_SINGLE_APPENDS_PER_SECOND,
        single,
        single >= GOAL_SINGLE_APPENDS_PER_SECOND ? "MET" : "MISSED");
  }

  private static double best(List<AppendOutcome> outcomes, Predicate<AppendOutcome> filter) {
    return outcomes.stream()
        .filter(filter)
        .mapToDouble(AppendOutcome::recordsPerSecond)
        .max()
        .orElse(Double.NaN);
  }
}
