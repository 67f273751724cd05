package io.inlet.bench.segment;

import io.inlet.bench.report.DiskStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that each keep one append in flight (the next is sent when the previous is acknowledged)
 * for a warm-up and then a measured window; payloads are random (incompressible).
 */
final class AppendLoad {
  /**
   * @param payloadBytes acknowledged in the measured window
   * @param totalPayloadBytes acknowledged from start to end, warm-up included
   * @param deviceBytes written to the device in the window, -1 when unknown
   * @param flushes device cache flushes in the window, -1 when unknown
   */
  record Result(
      long entries,
      long payloadBytes,
      long totalPayloadBytes,
      double seconds,
      long deviceBytes,
      long flushes) {}

  private AppendLoad() {}

  static Result run(
      LogEngine engine,
      int entryBytes,
      int records,
      int threads,
      int shards,
      int warmupSeconds,
      int seconds,
      DiskStats disk)
      throws InterruptedException {
    byte[] payload = new byte[entryBytes];
    new Random(42).nextBytes(payload);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong measured = new AtomicLong();
    AtomicLong total = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int shard = t % shards;
      Thread worker =
          new Thread(
              () -> {
                while (!stop.get()) {
                  engine.append(shard, payload, records).join();
                  total.incrementAndGet();
                  if (measuring.get()) {
                    measured.incrementAndGet();
                  }
                }
              },
              "bench-appender-" + t);
      worker.start();
      workers.add(worker);
    }
    TimeUnit.SECONDS.sleep(warmupSeconds);
    DiskStats.Snapshot before = disk == null ? null : disk.snapshot();
    long start = System.nanoTime();
    measuring.set(true);
    TimeUnit.SECONDS.sleep(seconds);
    measuring.set(false);
    long entries = measured.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    DiskStats.Snapshot after = disk == null ? null : disk.snapshot();
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    long deviceBytes =
        before == null || after == null ? -1 : after.bytesWritten() - before.bytesWritten();
    long flushes =
        before == null || after == null || before.flushes() < 0
            ? -1
            : after.flushes() - before.flushes();
    return new Result(
        entries, entries * entryBytes, total.get() * entryBytes, elapsed, deviceBytes, flushes);
  }
}
