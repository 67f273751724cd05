package io.inlet.bench.fetch;

import io.inlet.bench.append.AppendDriver;
import io.inlet.bench.client.BatchPool;
import io.inlet.bench.client.Channels;
import io.inlet.bench.client.StreamAdmin;
import io.inlet.bench.report.DiskStats;
import io.inlet.bench.report.ResourceWindow;
import io.inlet.bench.server.BenchTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** One fetch run: preload a fresh stream, then consume it through a fresh subscription. */
final class FetchRun {
  /**
   * @param loaded records preloaded (and expected)
   * @param startNanos when the consumers started
   * @param finished whether every record arrived without a consumer failing
   */
  record Outcome(
      long loaded,
      Deliveries deliveries,
      long startNanos,
      boolean finished,
      ResourceWindow.Usage usage) {

    double seconds() {
      long end =
          finished ? deliveries.completeNanos() : startNanos + (long) (usage.seconds() * 1e9);
      return (end - startNanos) / 1e9;
    }

    double recordsPerSecond() {
      return deliveries.distinct() / seconds();
    }
  }

  /** What the command asks for; see its options. */
  record Spec(
      long records,
      int recordBytes,
      int batchSize,
      int shards,
      int consumers,
      int maxUnacked,
      int ackTimeoutSeconds,
      int fillClients,
      int timeoutSeconds) {}

  private FetchRun() {}

  static Outcome run(BenchTarget server, Spec spec, String label) throws InterruptedException {
    String stream = "bench-fetch-" + UUID.randomUUID().toString().substring(0, 8);
    String subscription = stream + "-sub";
    try (Channels loaders = Channels.open(server, Math.min(spec.fillClients(), 8))) {
      StreamAdmin admin = new StreamAdmin(loaders.forClient(0));
      List<Long> shardIds = admin.createStream(stream, spec.shards());
      BatchPool pool = new BatchPool(stream, shardIds, spec.recordBytes(), spec.batchSize());
      long batches = (spec.records() + spec.batchSize() - 1) / spec.batchSize();
      long fillStart = System.nanoTime();
      long loaded = AppendDriver.fill(loaders, pool, spec.fillClients(), batches, () -> {});
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      System.err.printf(
          Locale.ROOT,
          "%s: preloaded %,d records in %.1f s (%,.0f records/s)%n",
          label,
          loaded,
          fillSeconds,
          loaded / fillSeconds);

      admin.createSubscription(subscription, stream, spec.ackTimeoutSeconds(), spec.maxUnacked());
      Deliveries deliveries = new Deliveries(loaded);
      DiskStats disk = server.dataDir().map(DiskStats::forDirectory).orElse(null);
      Outcome outcome;
      try (Channels consumerChannels = Channels.open(server, spec.consumers())) {
        List<FetchConsumer> running = new ArrayList<>();
        for (int i = 0; i < spec.consumers(); i++) {
          running.add(
              new FetchConsumer(
                  consumerChannels.forClient(i), subscription, "bench-consumer-" + i, deliveries));
        }
        ResourceWindow window = ResourceWindow.start(server.pid(), disk);
        long start = System.nanoTime();
        running.forEach(FetchConsumer::start);
        boolean finished = awaitWithProgress(deliveries, loaded, spec.timeoutSeconds(), label);
        ResourceWindow.Usage usage = window.finish();
        running.forEach(FetchConsumer::close);
        outcome = new Outcome(loaded, deliveries, start, finished, usage);
      }
      try {
        admin.deleteSubscription(subscription);
        admin.deleteStream(stream);
      } catch (RuntimeException e) {
        System.err.println("cleanup failed: " + e.getMessage());
      }
      return outcome;
    }
  }

  private static boolean awaitWithProgress(
      Deliveries deliveries, long expected, int timeoutSeconds, String label)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long last = 0;
    while (System.nanoTime() < deadline) {
      if (deliveries.await(1, TimeUnit.SECONDS)) {
        return deliveries.failure() == null;
      }
      long now = deliveries.distinct();
      System.err.printf(
          Locale.ROOT, "  %s: consumed %,d of %,d (%,d/s)%n", label, now, expected, now - last);
      last = now;
    }
    return false;
  }
}
