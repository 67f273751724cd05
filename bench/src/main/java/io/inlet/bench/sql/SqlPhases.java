package io.inlet.bench.sql;

import com.google.protobuf.Struct;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.ResourceWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The three measured queries. Each phase appends a warm-up batch (so the query's columns can be
 * typed from the stream), creates its query, waits for the warm-up's results (so job start-up is
 * not measured), then appends the load (at full speed, or at {@code liveRate} records/s when set)
 * and waits until every result is visible. With {@code warmupRecords}, phases (a) and (b) first
 * append that many records the same way and wait for their results, unmeasured, so the figures are
 * those of a node whose JIT and query have warmed up.
 */
final class SqlPhases {
  private final long records;
  private final int devices;
  private final int batch;
  private final long stallSeconds;
  private final double pullSeconds;
  private final double liveRate;
  private final long warmupRecords;
  private final List<PullRate.Result> pullRates = new ArrayList<>();

  SqlPhases(
      long records,
      int devices,
      int batch,
      long stallSeconds,
      double pullSeconds,
      double liveRate,
      long warmupRecords) {
    this.records = records;
    this.devices = devices;
    this.batch = batch;
    this.stallSeconds = stallSeconds;
    this.pullSeconds = pullSeconds;
    this.liveRate = liveRate;
    this.warmupRecords = warmupRecords;
  }

  /** Appends the warm-up load (none by default); returns the records appended. */
  private long warmUpLoad(QueryPhase p) throws InterruptedException {
    if (warmupRecords <= 0) {
      return 0;
    }
    System.out.printf("warm-up load: %d records, not measured%n", warmupRecords);
    p.load.append(warmupRecords, liveRate);
    return (warmupRecords + batch - 1) / batch * batch;
  }

  /** The load's rate for a phase's name, when it is set. */
  private String atRate() {
    return liveRate > 0 ? " at " + Figures.count(liveRate) + " records/s" : "";
  }

  /** The pull-query rates measured after phase (c)'s load, for its own table. */
  List<PullRate.Result> pullRates() {
    return pullRates;
  }

  /** (a) a filter and projection into a stream; latency: a record's ts → its result visible. */
  PhaseFigures filter(QueryPhase p, long serverPid) throws Exception {
    p.load.append(batch);
    p.execute(
        "CREATE STREAM bench_hot AS SELECT device, v, ts FROM readings WHERE v > "
            + ReadingLoad.FILTER_THRESHOLD
            + ";");
    AtomicLong rows = new AtomicLong();
    AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
    Histogram latency = PhaseFigures.histogram();
    try (ResultTail tail =
        new ResultTail(
            p.channel,
            "bench_hot",
            p.shardsOf("bench_hot", 120_000),
            (row, arrived) -> {
              long ts = (long) row.getFieldsOrThrow("ts").getNumberValue();
              if (ts >= measureFrom.get()) {
                latency.recordValue(Math.max(0, arrived - ts));
              }
              rows.incrementAndGet();
            })) {
      long warm = p.load.aboveThreshold();
      QueryPhase.awaitNanos(
          "the warm-up's results", stallSeconds, () -> rows.get() >= warm, tail::check);
      long warmedRecords = warmUpLoad(p);
      long warmed = p.load.aboveThreshold();
      QueryPhase.awaitNanos(
          "the warm-up load's results", stallSeconds, () -> rows.get() >= warmed, tail::check);
      ResourceWindow usage = ResourceWindow.start(OptionalLong.of(serverPid), null);
      measureFrom.set(System.currentTimeMillis());
      long start = System.nanoTime();
      double appendSeconds = p.load.append(records, liveRate);
      long expected = p.load.aboveThreshold();
      long end =
          QueryPhase.awaitNanos(
              expected + " filtered rows", stallSeconds, () -> rows.get() >= expected, tail::check);
      ResourceWindow.Usage used = usage.finish();
      return new PhaseFigures(
          "(a) filter + projection, live load" + atRate(),
          records,
          appendSeconds,
          (end - start) / 1e9,
          latency,
          "record ts → result visible",
          expected + " of " + (records + batch + warmedRecords) + " records passed",
          used.serverCores(),
          used.otherCores() + used.benchCores(),
          used.loadAverage());
    }
  }

  /**
   * (b) a 1-second tumbling COUNT/SUM by device into a stream; latency: the window's end → its
   * result visible (so it includes the allowed lateness and the watermark interval).
   */
  PhaseFigures window(QueryPhase p, long serverPid) throws Exception {
    String sql =
        "CREATE STREAM bench_windows AS SELECT device, COUNT(*) AS c, SUM(v) AS total FROM readings"
            + " GROUP BY device, TUMBLING (INTERVAL 1 SECOND);";
    WindowRows results = new WindowRows();
    Histogram latency = PhaseFigures.histogram();
    long warmTs = warmUp(p, sql);
    try (ResultTail tail =
        new ResultTail(
            p.channel,
            "bench_windows",
            p.shardsOf("bench_windows", 120_000),
            (row, arrived) -> results.add(row, arrived, latency))) {
      QueryPhase.awaitNanos(
          "the warm-up's windows", stallSeconds, () -> results.counted() >= batch, tail::check);
      long warmed = batch + warmUpLoad(p);
      if (warmed > batch) {
        warmTs = p.load.lastTs();
        p.load.appendOne("warm-up-end", warmTs + 1000 + p.allowedLatenessMillis + 1);
        QueryPhase.awaitNanos(
            "the warm-up load's windows",
            stallSeconds,
            () -> results.counted() >= warmed,
            tail::check);
      }
      QueryPhase.sleepUntil(warmTs + 1000 + p.allowedLatenessMillis + 50);
      ResourceWindow usage = ResourceWindow.start(OptionalLong.of(serverPid), null);
      results.measureFrom(System.currentTimeMillis());
      long start = System.nanoTime();
      double appendSeconds = p.load.append(records, liveRate);
      results.measureUntil(System.currentTimeMillis());
      // A reading well after the last window closes it.
      p.load.appendOne("end", p.load.lastTs() + 1000 + p.allowedLatenessMillis + 1);
      long expected = records + warmed;
      // Records later than the allowed lateness are dropped by the window: stop once every
      // record is counted or no window row came for 10 s, and report what was counted.
      QueryPhase.awaitNanos(
          expected + " records counted in windows",
          stallSeconds,
          () ->
              results.counted() >= expected
                  || System.nanoTime() - results.lastArrivalNanos() > 10_000_000_000L,
          tail::check);
      long end = results.lastArrivalNanos();
      ResourceWindow.Usage used = usage.finish();
      return new PhaseFigures(
          "(b) 1 s tumbling COUNT/SUM by device, live load" + atRate(),
          records,
          appendSeconds,
          (end - start) / 1e9,
          latency,
          "window end → result visible",
          results.windows() + " window rows; counted " + results.counted() + " of " + expected,
          used.serverCores(),
          used.otherCores() + used.benchCores(),
          used.loadAverage());
    }
  }

  /**
   * (c) a view of the same aggregate, read by pull queries for random devices while the load runs;
   * latency: one pull query's round trip.
   */
  PhaseFigures view(QueryPhase p, long serverPid) throws Exception {
    String sql =
        "CREATE VIEW bench_view AS SELECT device, COUNT(*) AS c, SUM(v) AS total FROM readings"
            + " GROUP BY device, TUMBLING (INTERVAL 1 SECOND);";
    long warmTs = warmUp(p, sql);
    QueryPhase.awaitNanos(
        "the warm-up's windows in the view", stallSeconds, () -> viewCount(p) >= batch, () -> {});
    QueryPhase.sleepUntil(warmTs + 1000 + p.allowedLatenessMillis + 50);
    Histogram pulls = PhaseFigures.histogram();
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread puller =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              while (loading.get()) {
                long t = System.nanoTime();
                p.pull(
                    "SELECT * FROM bench_view WHERE device = 'd" + random.nextInt(devices) + "';");
                pulls.recordValue((System.nanoTime() - t) / 1_000_000);
              }
            },
            "bench-pull");
    puller.start();
    ResourceWindow usage = ResourceWindow.start(OptionalLong.of(serverPid), null);
    long start = System.nanoTime();
    double appendSeconds;
    long end;
    long expected = records + batch;
    // Records later than the allowed lateness are dropped by the window: stop once every record
    // is counted or the count has not moved for 10 s, and report what was counted.
    long[] counted = {-1, System.nanoTime()};
    try {
      appendSeconds = p.load.append(records, liveRate);
      p.load.appendOne("end", p.load.lastTs() + 1000 + p.allowedLatenessMillis + 1);
      QueryPhase.awaitNanos(
          expected + " records counted in the view",
          stallSeconds,
          () -> {
            long c = viewCount(p);
            if (c != counted[0]) {
              counted[0] = c;
              counted[1] = System.nanoTime();
            }
            return c >= expected || System.nanoTime() - counted[1] > 10_000_000_000L;
          },
          () -> {});
      end = counted[1];
    } finally {
      loading.set(false);
      puller.join();
    }
    ResourceWindow.Usage used = usage.finish();
    double pullingSeconds = (System.nanoTime() - start) / 1e9;
    measurePullRates(p);
    return new PhaseFigures(
        "(c) view of (b), pull queries meanwhile" + (liveRate > 0 ? ", load" + atRate() : ""),
        records,
        appendSeconds,
        (end - start) / 1e9,
        pulls,
        "pull query (one device) round trip",
        "counted "
            + counted[0]
            + " of "
            + expected
            + "; "
            + pulls.getTotalCount()
            + " pull queries meanwhile ("
            + Math.round(pulls.getTotalCount() / pullingSeconds)
            + "/s, one client)",
        used.serverCores(),
        used.otherCores() + used.benchCores(),
        used.loadAverage());
  }

  /**
   * Once the load is in: pull queries on the view (still updated by its 1-second tumbling
   * aggregate) for {@code pullSeconds} each, one device's rows and the whole view, with 1 and 4
   * clients.
   */
  private void measurePullRates(QueryPhase p) throws InterruptedException {
    if (pullSeconds <= 0) {
      return;
    }
    long viewRows = p.pull("SELECT device FROM bench_view;").size();
    for (int clients : new int[] {1, 4}) {
      pullRates.add(
          PullRate.measure(
              p,
              "SELECT * FROM bench_view WHERE device = 'dN'",
              d -> "SELECT * FROM bench_view WHERE device = 'd" + d + "';",
              devices,
              clients,
              pullSeconds,
              viewRows));
    }
    pullRates.add(
        PullRate.measure(
            p,
            "SELECT * FROM bench_view",
            d -> "SELECT * FROM bench_view;",
            devices,
            1,
            pullSeconds,
            viewRows));
  }

  /** Appends the warm-up batch, creates the query and closes the warm-up's window; its ts. */
  private long warmUp(QueryPhase p, String sql) throws InterruptedException {
    p.load.append(batch);
    long ts = p.load.lastTs();
    p.execute(sql);
    p.load.appendOne("warm-up-end", ts + 1000 + p.allowedLatenessMillis + 1);
    return ts;
  }

  /** The records the view's windows have counted so far (devices d0, d1, ...). */
  private static long viewCount(QueryPhase p) {
    long sum = 0;
    for (Struct row : p.pull("SELECT * FROM bench_view;")) {
      if (row.getFieldsOrThrow("device").getStringValue().startsWith("d")) {
        sum += (long) row.getFieldsOrThrow("c").getNumberValue();
      }
    }
    return sum;
  }

  /** The windows' result rows as they arrive. */
  private static final class WindowRows {
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong windows = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;
    private volatile long lastArrivalNanos = System.nanoTime();

    long lastArrivalNanos() {
      return lastArrivalNanos;
    }

    void add(Struct row, long arrived, Histogram latency) {
      if (!row.getFieldsOrThrow("device").getStringValue().startsWith("d")) {
        return;
      }
      windows.incrementAndGet();
      lastArrivalNanos = System.nanoTime();
      counted.addAndGet((long) row.getFieldsOrThrow("c").getNumberValue());
      long start = QueryPhase.epochMillis(row.getFieldsOrThrow("window_start").getStringValue());
      long end = start + 1000;
      if (start >= measureFrom && end <= measureUntil) {
        latency.recordValue(Math.max(0, arrived - end));
      }
    }

    void measureFrom(long millis) {
      measureFrom = millis;
    }

    void measureUntil(long millis) {
      measureUntil = millis;
    }

    long counted() {
      return counted.get();
    }

    long windows() {
      return windows.get();
    }
  }
}
