package io.inlet.bench.fetch;

import io.inlet.bench.append.AppendDriver;
import io.inlet.bench.client.BatchPool;
import io.inlet.bench.client.Channels;
import io.inlet.bench.client.StreamAdmin;
import io.inlet.bench.report.DiskStats;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.ResourceWindow;
import io.inlet.bench.report.Table;
import io.inlet.bench.server.BenchTarget;
import io.inlet.bench.server.TargetOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

  @Override
  public Integer call() throws Exception {
    String stream = "bench-fetch-" + UUID.randomUUID().toString().substring(0, 8);
    String subscription = stream + "-sub";
    try (BenchTarget server = target.open("fetch");
        Channels loaders = Channels.open(server, Math.min(fillClients, 8))) {
      StreamAdmin admin = new StreamAdmin(loaders.forClient(0));
      List<Long> shardIds = admin.createStream(stream, shards);
      BatchPool pool = new BatchPool(stream, shardIds, recordBytes, batchSize);
      long batches = (records + batchSize - 1) / batchSize;
      long fillStart = System.nanoTime();
      long loaded = AppendDriver.fill(loaders, pool, fillClients, batches, () -> {});
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      System.err.printf(
          Locale.ROOT,
          "preloaded %,d records in %.1f s (%,.0f records/s)%n",
          loaded,
          fillSeconds,
          loaded / fillSeconds);

      admin.createSubscription(subscription, stream, ackTimeoutSeconds, maxUnacked);
      Deliveries deliveries = new Deliveries(loaded);
      DiskStats disk = server.dataDir().map(DiskStats::forDirectory).orElse(null);
      try (Channels consumerChannels = Channels.open(server, consumers)) {
        List<FetchConsumer> running = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
          running.add(
              new FetchConsumer(
                  consumerChannels.forClient(i), subscription, "bench-consumer-" + i, deliveries));
        }
        ResourceWindow window = ResourceWindow.start(server.pid(), disk);
        long start = System.nanoTime();
        running.forEach(FetchConsumer::start);
        boolean finished = awaitWithProgress(deliveries, loaded);
        ResourceWindow.Usage usage = window.finish();
        running.forEach(FetchConsumer::close);
        report(deliveries, loaded, start, finished, usage);
      }
      try {
        admin.deleteSubscription(subscription);
        admin.deleteStream(stream);
      } catch (RuntimeException e) {
        System.err.println("cleanup failed: " + e.getMessage());
      }
      return deliveries.failure() == null && deliveries.distinct() >= loaded ? 0 : 1;
    }
  }

  private boolean awaitWithProgress(Deliveries deliveries, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long last = 0;
    while (System.nanoTime() < deadline) {
      if (deliveries.await(1, TimeUnit.SECONDS)) {
        return deliveries.failure() == null;
      }
      long now = deliveries.distinct();
      System.err.printf(Locale.ROOT, "  consumed %,d of %,d (%,d/s)%n", now, expected, now - last);
      last = now;
    }
    return false;
  }

  private void report(
      Deliveries deliveries,
      long expected,
      long start,
      boolean finished,
      ResourceWindow.Usage usage) {
    long end = finished ? deliveries.completeNanos() : System.nanoTime();
    double seconds = (end - start) / 1e9;
    double rate = deliveries.distinct() / seconds;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "StreamingFetch: %d shards, %d consumers, %,d records of %d B in batches of %d;"
            + " MB = 10^6 payload bytes%n",
        shards,
        consumers,
        expected,
        recordBytes,
        batchSize);
    new Table(
            "records",
            "delivered",
            "seconds",
            "records/s",
            "MB/s",
            "first record ms",
            "server cores",
            "bench cores",
            "complete")
        .row(
            Figures.count(deliveries.distinct()),
            Figures.count(deliveries.delivered()),
            Figures.twoDecimals(seconds),
            Figures.count(rate),
            Figures.megabytes(rate * recordBytes),
            deliveries.firstNanos() == 0 ? "-" : Figures.millis(deliveries.firstNanos() - start),
            Figures.twoDecimals(usage.serverCores()),
            Figures.twoDecimals(usage.benchCores()),
            finished ? "yes" : "NO")
        .print(System.out);
    if (deliveries.failure() != null) {
      System.out.println("consumer failed: " + deliveries.failure());
    }
    usage.serverThreads().forEach(line -> System.err.println("     " + line));
    System.out.printf(
        Locale.ROOT,
        "goal: >= %,.0f records/s end to end: %,.0f -> %s%n",
        GOAL_RECORDS_PER_SECOND,
        rate,
        finished && rate >= GOAL_RECORDS_PER_SECOND ? "MET" : "MISSED");
  }
}
