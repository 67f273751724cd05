package io.inlet.bench.sql;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.bench.report.ResourceWindow;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (a) and (b) measured alone, without the load competing for the cores: the records are appended
 * (durably) before the query starts, and the query reads them from the earliest position. Seconds =
 * ExecuteQuery sent → the last result visible to a reader of the result stream; records/s = records
 * / (seconds − start-up). Start-up is measured just before on the same node with the same query
 * over a second stream holding one batch: ExecuteQuery sent → that batch's results visible
 * (planning, job submission, the source's first read, the sink's first append, the tail's first
 * read). That probe's query keeps running, idle, during the measurement.
 */
final class AlonePhases {
  private final long records;
  private final long stallSeconds;

  AlonePhases(long records, long stallSeconds) {
    this.records = records;
    this.stallSeconds = stallSeconds;
  }

  /** (a) the filter and projection, on records appended before it starts. */
  PhaseFigures filter(QueryPhase p, long serverPid) throws Exception {
    ReadingLoad probe = p.newSource("probe");
    probe.append(p.batch());
    run(p, filterSql("probe", "probe_first"), "probe_first", probe.aboveThreshold());
    double startup =
        run(p, filterSql("probe", "probe_hot"), "probe_hot", probe.aboveThreshold()).seconds();
    double appendSeconds = p.load.append(records);
    long expected = p.load.aboveThreshold();
    ResourceWindow usage = ResourceWindow.start(OptionalLong.of(serverPid), null);
    Run run = run(p, filterSql(QueryPhase.SOURCE, "bench_hot"), "bench_hot", expected);
    ResourceWindow.Usage used = usage.finish();
    return figures(
        "(a) filter + projection, alone",
        appendSeconds,
        run.seconds() - startup,
        String.format(
            "%d of %d passed; %.1f s from ExecuteQuery, start-up %.2f s",
            run.counted(), records, run.seconds(), startup),
        used);
  }

  /** (b) the 1-second tumbling aggregate, on records appended before it starts. */
  PhaseFigures window(QueryPhase p, long serverPid) throws Exception {
    ReadingLoad probe = p.newSource("probe");
    probe.append(p.batch());
    probe.appendOne("end", probe.lastTs() + 1000 + p.allowedLatenessMillis + 1);
    run(p, windowSql("probe", "probe_first"), "probe_first", p.batch());
    double startup =
        run(p, windowSql("probe", "probe_windows"), "probe_windows", p.batch()).seconds();
    double appendSeconds = p.load.append(records);
    // A reading well after the last window closes it.
    p.load.appendOne("end", p.load.lastTs() + 1000 + p.allowedLatenessMillis + 1);
    ResourceWindow usage = ResourceWindow.start(OptionalLong.of(serverPid), null);
    Run run = run(p, windowSql(QueryPhase.SOURCE, "bench_windows"), "bench_windows", records);
    ResourceWindow.Usage used = usage.finish();
    return figures(
        "(b) 1 s tumbling COUNT/SUM by device, alone",
        appendSeconds,
        run.seconds() - startup,
        String.format(
            "counted %d of %d; %.1f s from ExecuteQuery, start-up %.2f s",
            run.counted(), records, run.seconds(), startup),
        used);
  }

  private static String filterSql(String source, String result) {
    return "CREATE STREAM "
        + result
        + " AS SELECT device, v, ts FROM "
        + source
        + " WHERE v > "
        + ReadingLoad.FILTER_THRESHOLD
        + ";";
  }

  private static String windowSql(String source, String result) {
    return "CREATE STREAM "
        + result
        + " AS SELECT device, COUNT(*) AS c, SUM(v) AS total FROM "
        + source
        + " GROUP BY device, TUMBLING (INTERVAL 1 SECOND);";
  }

  /** What one query did: seconds from ExecuteQuery to the last result, and what it counted. */
  private record Run(double seconds, long counted) {}

  /**
   * Starts {@code sql} and tails its result stream until {@code expected} records are counted (a
   * filter's rows, or the records the windows' {@code c} add up to), or nothing has come for 10 s
   * (records later than the allowed lateness are dropped by a window).
   */
  private Run run(QueryPhase p, String sql, String result, long expected) throws Exception {
    boolean windows = sql.contains("TUMBLING");
    AtomicLong counted = new AtomicLong();
    AtomicLong lastArrival = new AtomicLong();
    long start = System.nanoTime();
    lastArrival.set(start);
    p.execute(sql);
    long submitted = System.nanoTime();
    try (ResultTail tail =
        ResultTail.ofRecords(
            p.channel,
            result,
            p.shardsOf(result, 120_000),
            (batch, arrived) -> {
              long n = windows ? windowCounts(batch) : batch.size();
              counted.addAndGet(n);
              lastArrival.set(System.nanoTime());
            })) {
      QueryPhase.awaitNanos(
          expected + " records counted in " + result,
          stallSeconds,
          () ->
              counted.get() >= expected
                  || System.nanoTime() - Math.max(submitted, lastArrival.get()) > 10_000_000_000L,
          tail::check);
    }
    Run run = new Run((lastArrival.get() - start) / 1e9, counted.get());
    System.err.printf(
        "%s: %d of %d counted, %.2f s after ExecuteQuery%n",
        result, run.counted(), expected, run.seconds());
    return run;
  }

  /** The records counted by window rows of devices d0, d1, ... (not the sentinels'). */
  private static long windowCounts(List<HStreamRecord> batch) {
    long n = 0;
    for (HStreamRecord record : batch) {
      try {
        Struct row = Struct.parseFrom(record.getPayload());
        if (row.getFieldsOrThrow("device").getStringValue().startsWith("d")) {
          n += (long) row.getFieldsOrThrow("c").getNumberValue();
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a result record is not a JSON object", e);
      }
    }
    return n;
  }

  private PhaseFigures figures(
      String phase, double appendSeconds, double seconds, String note, ResourceWindow.Usage used) {
    return new PhaseFigures(
        phase,
        records,
        appendSeconds,
        seconds,
        PhaseFigures.histogram(),
        "- (records appended before the query)",
        note,
        used.serverCores(),
        used.otherCores() + used.benchCores(),
        used.loadAverage());
  }
}
