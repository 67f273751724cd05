package io.inlet.bench.fetch;

import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.server.BenchTarget;
import io.inlet.bench.server.TargetOptions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fetch}: end-to-end StreamingFetch throughput of one subscription. */
@Command(
    name = "fetch",
    description =
        "StreamingFetch throughput: preload a stream, then consume it through one subscription"
            + " with several consumers (each its own channel) that ack everything.",
    mixinStandardHelpOptions = true)
public final class FetchCommand implements Callable<Integer> {
  static final double GOAL_RECORDS_PER_SECOND = 1_000_000;

  @Mixin TargetOptions target;

  @Option(
      names = "--records",
      description = "Records to preload and consume. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4000000")
  long records;

  @Option(
      names = "--record-bytes",
      description = "Payload bytes per record. Default: ${DEFAULT-VALUE}.",
      defaultValue = "100")
  int recordBytes;

  @Option(
      names = "--batch",
      description = "Records per preloaded batch. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000")
  int batchSize;

  @Option(
      names = "--shards",
      description = "Shards of the stream. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4")
  int shards;

  @Option(
      names = "--consumers",
      description = "Consumers of the subscription. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4")
  int consumers;

  @Option(
      names = "--max-unacked",
      description = "The subscription's maxUnackedRecords. Default: ${DEFAULT-VALUE}.",
      defaultValue = "100000")
  int maxUnacked;

  @Option(
      names = "--ack-timeout",
      paramLabel = "SECONDS",
      description = "The subscription's ackTimeoutSeconds. Default: ${DEFAULT-VALUE}.",
      defaultValue = "60")
  int ackTimeoutSeconds;

  @Option(
      names = "--fill-clients",
      description = "Clients preloading the stream. Default: ${DEFAULT-VALUE}.",
      defaultValue = "8")
  int fillClients;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up consuming after this long. Default: ${DEFAULT-VALUE}.",
      defaultValue = "600")
  int timeoutSeconds;

  @Option(
      names = "--warmup-records",
      description =
          "Records preloaded and consumed first, on another stream and subscription, to warm the"
              + " JVMs up; not measured. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000000")
  long warmupRecords;

  @Override
  public Integer call() throws Exception {
    try (BenchTarget server = target.open("fetch")) {
      if (warmupRecords > 0) {
        FetchRun.Outcome warmup = FetchRun.run(server, spec(warmupRecords), "warm-up");
        System.err.printf(Locale.ROOT, "warm-up: %,.0f records/s%n", warmup.recordsPerSecond());
      }
      FetchRun.Outcome outcome = FetchRun.run(server, spec(records), "run");
      report(outcome);
      return outcome.finished() ? 0 : 1;
    }
  }

  private FetchRun.Spec spec(long count) {
    return new FetchRun.Spec(
        count,
        recordBytes,
        batchSize,
        shards,
        consumers,
        maxUnacked,
        ackTimeoutSeconds,
        fillClients,
        timeoutSeconds);
  }

  private void report(FetchRun.Outcome outcome) {
    Deliveries deliveries = outcome.deliveries();
    double rate = outcome.recordsPerSecond();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "StreamingFetch: %d shards, %d consumers, %,d records of %d B in batches of %d;"
            + " MB = 10^6 payload bytes%n",
        shards,
        consumers,
        outcome.loaded(),
        recordBytes,
        batchSize);
    new MarkdownTable(
            "records",
            "delivered",
            "seconds",
            "records/s",
            "MB/s",
            "first record ms",
            "server cores",
            "bench cores",
            "other cores",
            "load",
            "complete")
        .row(
            Figures.count(deliveries.distinct()),
            Figures.count(deliveries.delivered()),
            Figures.twoDecimals(outcome.seconds()),
            Figures.count(rate),
            Figures.megabytes(rate * recordBytes),
            deliveries.firstNanos() == 0
                ? "-"
                : Figures.millis(deliveries.firstNanos() - outcome.startNanos()),
            Figures.twoDecimals(outcome.usage().serverCores()),
            Figures.twoDecimals(outcome.usage().benchCores()),
            Figures.twoDecimals(outcome.usage().otherCores()),
            Figures.oneDecimal(outcome.usage().loadAverage()),
            outcome.finished() ? "yes" : "NO")
        .print(System.out);
    if (deliveries.failure() != null) {
      System.out.println("consumer failed: " + deliveries.failure());
    }
    outcome.usage().serverThreads().forEach(line -> System.err.println("     " + line));
    System.out.printf(
        Locale.ROOT,
        "goal: >= %,.0f records/s end to end: %,.0f -> %s%n",
        GOAL_RECORDS_PER_SECOND,
        rate,
        outcome.finished() && rate >= GOAL_RECORDS_PER_SECOND ? "MET" : "MISSED");
  }
}
