package io.inlet.bench.sql;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends sensor readings as JSON records ({@code {"device":"d17","site":"plant-7","seq":N,
 * "v":42.5,"ts":<epoch ms when the batch was built>}}) over gRPC: {@code clients} threads, each
 * with one Append of {@code batch} records in flight, client i on shard i mod shards. {@code v} is
 * uniform in [0, 100); the load counts how many records have {@code v > 50}, so a filter's output
 * is known exactly.
 */
final class ReadingLoad {
  static final double FILTER_THRESHOLD = 50;

  private final List<ManagedChannel> channels;
  private final String stream;
  private final List<Long> shards;
  private final int devices;
  private final int batch;
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong aboveThreshold = new AtomicLong();
  private volatile long lastTs;
  private final AtomicLong maxLateMillis = new AtomicLong();
  private final AtomicLong lateBatches = new AtomicLong();
  private final AtomicLong maxAppendMillis = new AtomicLong();

  ReadingLoad(
      List<ManagedChannel> channels, String stream, List<Long> shards, int devices, int batch) {
    this.channels = channels;
    this.stream = stream;
    this.shards = shards;
    this.devices = devices;
    this.batch = batch;
  }

  /**
   * Appends {@code records} (a multiple of the batch size, rounded up) as fast as the node takes
   * them; returns the seconds.
   */
  double append(long records) throws InterruptedException {
    return append(records, 0);
  }

  /**
   * Appends {@code records} (a multiple of the batch size, rounded up) at {@code recordsPerSecond}
   * in all (0: as fast as the node takes them); returns the seconds. At a set rate each client
   * sends its batches on a fixed schedule, staggered against the others; a batch is built ahead
   * with the time it is due as its {@code ts}, then sent when due, so a load that falls behind
   * shows as latency instead of hiding it (and prints how far behind it fell).
   */
  double append(long records, double recordsPerSecond) throws InterruptedException {
    long batches = (records + batch - 1) / batch;
    lateBatches.set(0);
    maxLateMillis.set(0);
    maxAppendMillis.set(0);
    AtomicLong budget = new AtomicLong(batches);
    ExecutorService pool = Executors.newFixedThreadPool(channels.size());
    long start = System.nanoTime();
    Schedule schedule =
        recordsPerSecond <= 0
            ? null
            : new Schedule(
                System.currentTimeMillis(),
                start,
                (long) (1e9 * batch * channels.size() / recordsPerSecond));
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int i = 0; i < channels.size(); i++) {
        int client = i;
        clients.add(pool.submit(() -> run(client, budget, schedule)));
      }
      for (Future<?> f : clients) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("an append failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (schedule != null) {
      System.out.printf(
          "paced load: %d of %d batches sent over 100 ms after they were due, at most %d ms;"
              + " the slowest Append took %d ms%n",
          lateBatches.get(), batches, maxLateMillis.get(), maxAppendMillis.get());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * One record of device {@code device} with event time {@code ts} in every shard: a sentinel that
   * moves every shard's watermark on (the source's watermark is the least of its shards'), closing
   * the windows that end before {@code ts}.
   */
  void appendOne(String device, long ts) {
    var stub = HStreamApiGrpc.newBlockingStub(channels.get(0));
    for (long shard : shards) {
      HStreamRecord record =
          HStreamRecords.json("", reading(device, -1, ts, seq.incrementAndGet()), Map.of());
      stub.withDeadlineAfter(60, TimeUnit.SECONDS)
          .append(
              AppendRequest.newBuilder()
                  .setStreamName(stream)
                  .setShardId(shard)
                  .setRecords(RecordBatches.encode(List.of(record), CompressionType.None))
                  .build());
    }
  }

  /** When a paced load's batches are due: client c's k-th at {@code (k + c / clients) × every}. */
  private record Schedule(long startMillis, long startNanos, long everyNanos) {
    long dueNanos(int client, int clients, long k) {
      return startNanos + k * everyNanos + everyNanos * client / clients;
    }

    long millisAt(long nanos) {
      return startMillis + (nanos - startNanos) / 1_000_000;
    }
  }

  private void run(int client, AtomicLong budget, Schedule schedule) {
    var stub = HStreamApiGrpc.newBlockingStub(channels.get(client));
    long shard = shards.get(client % shards.size());
    SplittableRandom random = new SplittableRandom(client * 7919L + 1);
    for (long k = 0; budget.getAndDecrement() > 0; k++) {
      long due = schedule == null ? 0 : schedule.dueNanos(client, channels.size(), k);
      long ts = schedule == null ? System.currentTimeMillis() : schedule.millisAt(due);
      List<HStreamRecord> records = new ArrayList<>(batch);
      long above = 0;
      for (int i = 0; i < batch; i++) {
        long n = seq.incrementAndGet();
        double v = Math.floor(random.nextDouble() * 10_000) / 100;
        if (v > FILTER_THRESHOLD) {
          above++;
        }
        records.add(HStreamRecords.json("", reading("d" + (n % devices), v, ts, n), Map.of()));
      }
      AppendRequest request =
          AppendRequest.newBuilder()
              .setStreamName(stream)
              .setShardId(shard)
              .setRecords(RecordBatches.encode(records, CompressionType.None))
              .build();
      if (schedule != null) {
        // Built ahead with its due time as ts; sent when due (or at once when behind).
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long late = System.currentTimeMillis() - ts;
        maxLateMillis.accumulateAndGet(late, Math::max);
        if (late > 100) {
          lateBatches.incrementAndGet();
        }
      }
      long sent = System.nanoTime();
      stub.withDeadlineAfter(60, TimeUnit.SECONDS).append(request);
      maxAppendMillis.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
      aboveThreshold.addAndGet(above);
      lastTs = Math.max(lastTs, ts);
    }
  }

  private static Struct reading(String device, double v, long ts, long seq) {
    return Struct.newBuilder()
        .putFields("device", Value.newBuilder().setStringValue(device).build())
        .putFields("site", Value.newBuilder().setStringValue("plant-7").build())
        .putFields("seq", Value.newBuilder().setNumberValue(seq).build())
        .putFields("v", Value.newBuilder().setNumberValue(v).build())
        .putFields("ts", Value.newBuilder().setNumberValue(ts).build())
        .build();
  }

  /** Records appended so far with {@code v > 50}. */
  long aboveThreshold() {
    return aboveThreshold.get();
  }

  /** The newest event time appended by the load. */
  long lastTs() {
    return lastTs;
  }
}
