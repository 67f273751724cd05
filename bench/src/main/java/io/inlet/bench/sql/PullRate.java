package io.inlet.bench.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Pull queries in a closed loop for a fixed time: {@code clients} threads, each with one query in
 * flight, over one channel; queries per second and each query's round trip (in microseconds).
 */
final class PullRate {
  /** One measurement: which query, how many clients, how many rows the view had. */
  record Result(
      String query, int clients, long viewRows, long queries, double seconds, Histogram micros) {
    double perSecond() {
      return queries / seconds;
    }
  }

  private PullRate() {}

  /**
   * @param sqlFor the statement each query runs, given a random device number
   */
  static Result measure(
      QueryPhase p,
      String label,
      java.util.function.IntFunction<String> sqlFor,
      int devices,
      int clients,
      double seconds,
      long viewRows)
      throws InterruptedException {
    Histogram micros = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong queries = new AtomicLong();
    long start = System.nanoTime();
    long until = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      SplittableRandom random = new SplittableRandom(31 + c);
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < until) {
                  long t0 = System.nanoTime();
                  p.pull(sqlFor.apply(random.nextInt(devices)));
                  micros.recordValue((System.nanoTime() - t0) / 1000);
                  queries.incrementAndGet();
                }
              },
              "bench-pull-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Result r =
        new Result(
            label, clients, viewRows, queries.get(), (System.nanoTime() - start) / 1e9, micros);
    System.out.printf(
        "pull queries: %s, %d client(s), %d view rows: %.0f/s, p50 %.2f ms, p99 %.2f ms%n",
        label,
        clients,
        viewRows,
        r.perSecond(),
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0);
    return r;
  }
}
