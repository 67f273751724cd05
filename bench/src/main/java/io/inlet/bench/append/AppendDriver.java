package io.inlet.bench.append;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ServerNode;
import io.inlet.bench.client.BatchPool;
import io.inlet.bench.client.Channels;
import io.inlet.bench.client.StreamAdmin;
import io.inlet.bench.report.DiskStats;
import io.inlet.bench.report.JitSettling;
import io.inlet.bench.report.ResourceWindow;
import io.inlet.bench.server.BenchTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/** Runs append load against a target: timed runs for the benchmark, or a fixed amount to fill. */
public final class AppendDriver {
  private AppendDriver() {}

  /**
   * Creates a fresh stream, runs the clients for warm-up plus duration, and measures the duration
   * part. The stream is deleted afterwards.
   */
  public static AppendOutcome run(BenchTarget target, AppendSpec spec, boolean progress)
      throws InterruptedException {
    String stream = "bench-append-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Channels> leaders = new HashMap<>();
    try (Channels channels = Channels.open(target, spec.channels())) {
      StreamAdmin admin = new StreamAdmin(channels.forClient(0));
      List<Long> shardIds = admin.createStream(stream, spec.shards(), spec.replicationFactor());
      BatchPool pool = new BatchPool(stream, shardIds, spec.recordBytes(), spec.batchSize());
      IntFunction<ManagedChannel> channelOf =
          spec.followLeaders()
              ? leaderChannels(admin, shardIds, spec, leaders)
              : channels::forClient;
      List<AppendClient> clients = startClients(channelOf, pool, spec.clients(), null);
      DiskStats disk = target.dataDir().map(DiskStats::forDirectory).orElse(null);

      sleepWithProgress(spec.warmup().toMillis(), clients, spec.batchSize(), "warm-up", progress);
      awaitJitSettled(target, spec);
      clients.forEach(client -> client.recordLatencies(true));
      long appendsBefore = total(clients);
      ResourceWindow window = ResourceWindow.start(target.pid(), disk);
      sleepWithProgress(spec.duration().toMillis(), clients, spec.batchSize(), "run", progress);
      long appends = total(clients) - appendsBefore;
      ResourceWindow.Usage usage = window.finish();
      clients.forEach(client -> client.recordLatencies(false));

      stopAll(clients);
      Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
      long errors = 0;
      String firstError = null;
      for (AppendClient client : clients) {
        latency.add(client.latency());
        errors += client.errors();
        if (firstError == null && client.firstError() != null) {
          firstError = String.valueOf(client.firstError());
        }
      }
      try {
        admin.deleteStream(stream);
      } catch (RuntimeException e) {
        System.err.println("could not delete stream " + stream + ": " + e.getMessage());
      }
      return new AppendOutcome(spec, appends, errors, firstError, latency, usage);
    } finally {
      leaders.values().forEach(Channels::close);
    }
  }

  /**
   * Client {@code i}'s channel when clients follow lookups: one to the leader of the shard it
   * appends to (shard {@code i mod shards}), {@code spec.channels()} of them per leader node.
   */
  private static IntFunction<ManagedChannel> leaderChannels(
      StreamAdmin admin, List<Long> shardIds, AppendSpec spec, Map<String, Channels> open)
      throws InterruptedException {
    List<Channels> byShard = new ArrayList<>();
    for (long shardId : shardIds) {
      ServerNode leader = admin.awaitLeader(shardId, Duration.ofMinutes(2));
      String address = leader.getHost() + ":" + leader.getPort();
      byShard.add(
          open.computeIfAbsent(
              address, a -> Channels.open(leader.getHost(), leader.getPort(), spec.channels())));
      System.err.printf("  shard %d: leader node %d at %s%n", shardId, leader.getId(), address);
    }
    return client -> byShard.get(client % byShard.size()).forClient(client);
  }

  /**
   * Appends {@code batches} batches from {@code pool} with {@code clients} clients and waits until
   * all are acknowledged.
   *
   * @return the number of records appended successfully
   */
  public static long fill(
      Channels channels, BatchPool pool, int clients, long batches, Runnable eachSecond)
      throws InterruptedException {
    AtomicLong budget = new AtomicLong(batches);
    List<AppendClient> running = startClients(channels::forClient, pool, clients, budget);
    for (AppendClient client : running) {
      while (!client.awaitDone(1, TimeUnit.SECONDS)) {
        eachSecond.run();
      }
    }
    long errors = running.stream().mapToLong(AppendClient::errors).sum();
    if (errors > 0) {
      Throwable first =
          running.stream()
              .map(AppendClient::firstError)
              .filter(e -> e != null)
              .findFirst()
              .orElse(null);
      System.err.println(errors + " appends failed while filling; first: " + first);
    }
    return total(running) * pool.recordsPerBatch();
  }

  /** Warms up further, within the spec's maximum, until the server's JIT compilers settle. */
  private static void awaitJitSettled(BenchTarget target, AppendSpec spec)
      throws InterruptedException {
    Duration extra = spec.maxWarmup().minus(spec.warmup());
    if (target.pid().isEmpty() || extra.isZero() || extra.isNegative()) {
      return;
    }
    Duration waited = JitSettling.await(target.pid().getAsLong(), extra);
    System.err.printf(
        Locale.ROOT,
        "  warm-up: %d s + %d s %s%n",
        spec.warmup().toSeconds(),
        waited.toSeconds(),
        waited.compareTo(extra) < 0
            ? "until the server's JIT compilers settled"
            : "(the server's JIT compilers were still busy at --max-warmup)");
  }

  private static List<AppendClient> startClients(
      IntFunction<ManagedChannel> channels, BatchPool pool, int count, AtomicLong budget) {
    List<AppendClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(
          new AppendClient(
              HStreamApiGrpc.newStub(channels.apply(i)),
              pool.requestsFor(i % pool.shardCount()),
              pool.recordsPerBatch(),
              budget));
    }
    clients.forEach(AppendClient::start);
    return clients;
  }

  private static void stopAll(List<AppendClient> clients) throws InterruptedException {
    clients.forEach(AppendClient::stop);
    for (AppendClient client : clients) {
      if (!client.awaitDone(60, TimeUnit.SECONDS)) {
        System.err.println("an Append was still unanswered 60 s after the run ended");
      }
    }
  }

  private static long total(List<AppendClient> clients) {
    return clients.stream().mapToLong(AppendClient::appends).sum();
  }

  private static void sleepWithProgress(
      long millis, List<AppendClient> clients, int batchSize, String phase, boolean progress)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long last = total(clients);
    long lastAt = System.nanoTime();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      if (progress) {
        long now = total(clients);
        long at = System.nanoTime();
        System.err.printf(
            Locale.ROOT,
            "  %s: %,.0f records/s%n",
            phase,
            (now - last) * (double) batchSize / ((at - lastAt) / 1e9));
        last = now;
        lastAt = at;
      }
    }
  }
}
