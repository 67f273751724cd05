package io.inlet.bench.cdc;

import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.report.QuietMachine;
import io.inlet.server.InletServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdc}: change data capture from MariaDB into a stream, Inlet's connector against Debezium's
 * own embedded engine with a no-op consumer, in the same run on the same data; then Inlet's JDBC
 * sink into PostgreSQL against plain JDBC batches.
 */
@Command(
    name = "cdc",
    description =
        "MariaDB CDC: rows/s and end-to-end lag of Inlet's source connector (into a stream, read"
            + " back) beside Debezium's embedded engine (no-op consumer), snapshot then streaming;"
            + " then Inlet's JDBC sink into PostgreSQL beside plain JDBC batches.",
    mixinStandardHelpOptions = true)
public final class CdcCommand implements Callable<Integer> {
  @Option(
      names = "--rows",
      description = "Rows per pipeline (snapshot + streaming). Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000000")
  long rows;

  @Option(
      names = "--snapshot-share",
      description =
          "Share of the rows present before the pipeline starts. Default: ${DEFAULT-VALUE}.",
      defaultValue = "0.5")
  double snapshotShare;

  @Option(
      names = "--insert-batch",
      description = "Rows per INSERT (one transaction) while streaming. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000")
  int insertBatch;

  @Option(
      names = "--mariadb",
      description =
          "MariaDB host:port (root without password; user inlet_cdc for CDC, see"
              + " .ci/cdc-databases.sh). Default: ${DEFAULT-VALUE}.",
      defaultValue = "127.0.0.1:3306")
  String mariadb;

  @Option(
      names = "--postgres",
      description =
          "PostgreSQL host:port (database and user inlet_cdc); empty skips the sink"
              + " comparison. Default: ${DEFAULT-VALUE}.",
      defaultValue = "127.0.0.1:5432")
  String postgres;

  @Option(
      names = "--sink-batch",
      description =
          "Records per transaction, sink and plain JDBC alike. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000")
  int sinkBatch;

  @Option(
      names = "--only",
      description =
          "all: both sources, then the sinks; sink: only Inlet's source (to fill the stream), then"
              + " the sinks. Default: ${DEFAULT-VALUE}.",
      defaultValue = "all")
  String only;

  @Option(
      names = "--sink-runs",
      description =
          "Rounds of the sink comparison, each the JDBC sink then plain INSERT then plain upsert"
              + " (ratios are taken within a round). Default: ${DEFAULT-VALUE}.",
      defaultValue = "1")
  int sinkRuns;

  @Option(
      names = "--plain-rewritten",
      description =
          "Also run plain INSERT and upsert with the driver's reWriteBatchedInserts (the sink's"
              + " connection setting).")
  boolean plainRewritten;

  @Option(
      names = "--quiet-cores",
      description =
          "Before each phase, wait until other processes use at most this many cores (0: do not"
              + " wait). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  double quietCores;

  @Option(
      names = "--stall-seconds",
      description = "Give up when no change arrived for this long. Default: ${DEFAULT-VALUE}.",
      defaultValue = "120")
  long stallSeconds;

  private final MarkdownTable sources =
      new MarkdownTable(
          "pipeline",
          "phase",
          "rows",
          "seconds",
          "rows/s",
          "writer rows/s",
          "lag p50 ms",
          "lag p99 ms",
          "lag max ms",
          "bench cores",
          "other cores",
          "load");
  private final MarkdownTable sinks =
      new MarkdownTable(
          "round", "writer", "rows", "seconds", "rows/s", "bench cores", "other cores", "load");
  private MarkdownTable sinkRatios;

  @Override
  public Integer call() throws Exception {
    if (!only.equals("all") && !only.equals("sink")) {
      throw new IllegalArgumentException("--only takes all or sink, not " + only);
    }
    if (sinkRuns < 1) {
      throw new IllegalArgumentException("--sink-runs must be at least 1");
    }
    System.out.println("cdc benchmark, " + Instant.now() + ", " + rows + " rows per pipeline");
    String host = mariadb.substring(0, mariadb.lastIndexOf(':'));
    int port = Integer.parseInt(mariadb.substring(mariadb.lastIndexOf(':') + 1));
    Path work = Files.createTempDirectory("inlet-bench-cdc");
    try {
      if (only.equals("all")) {
        BenchTable raw = new BenchTable(mariadb, "inlet_bench_cdc_raw");
        try (RawDebeziumPipeline pipeline = new RawDebeziumPipeline(host, port, raw.database())) {
          run(pipeline, raw);
        } finally {
          raw.drop();
        }
      }
      BenchTable inlet = new BenchTable(mariadb, "inlet_bench_cdc_inlet");
      try (InletPipeline pipeline =
          new InletPipeline(host, port, inlet.database(), work.resolve("data"))) {
        run(pipeline, inlet);
        if (!postgres.isBlank()) {
          sinks(pipeline.server());
        }
      } finally {
        inlet.drop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println();
    System.out.println(
        "sources (MariaDB binlog; rows/s = rows / seconds until the last change"
            + " arrived; lag = arrival - the row's build time, streamed rows only)");
    sources.print(System.out);
    if (!postgres.isBlank()) {
      System.out.println();
      System.out.println("sinks (PostgreSQL, " + sinkBatch + " rows per transaction)");
      sinks.print(System.out);
      System.out.println();
      sinkRatios.print(System.out);
    }
    return 0;
  }

  private void run(CdcPipeline pipeline, BenchTable table) throws Exception {
    long snapshotRows = Math.round(rows * snapshotShare);
    table.recreate();
    System.out.println(pipeline.name() + ": loading " + snapshotRows + " rows");
    table.insert(1, snapshotRows, insertBatch, id -> {});
    QuietMachine.await(quietCores, 600);

    Arrivals arrivals = new Arrivals();
    PhaseMeter snapshot = new PhaseMeter();
    pipeline.start(arrivals);
    require(arrivals.await(snapshotRows, stallSeconds * 1000), pipeline, arrivals, snapshotRows);
    sources.row(
        row(pipeline, "snapshot", snapshotRows, snapshot.read(arrivals.lastNanos()), -1, null));

    System.out.println(pipeline.name() + ": streaming " + (rows - snapshotRows) + " rows");
    arrivals.measureLag();
    PhaseMeter streaming = new PhaseMeter();
    long writeStart = System.nanoTime();
    AtomicLong written = new AtomicLong();
    table.insert(snapshotRows + 1, rows, insertBatch, written::set);
    double writerRate = (rows - snapshotRows) / ((System.nanoTime() - writeStart) / 1e9);
    require(arrivals.await(rows, stallSeconds * 1000), pipeline, arrivals, rows);
    sources.row(
        row(
            pipeline,
            "streaming",
            rows - snapshotRows,
            streaming.read(arrivals.lastNanos()),
            writerRate,
            arrivals));
  }

  private static Object[] row(
      CdcPipeline pipeline,
      String phase,
      long count,
      PhaseMeter.Reading reading,
      double writerRate,
      Arrivals lag) {
    return new Object[] {
      pipeline.name(),
      phase,
      Figures.count(count),
      Figures.oneDecimal(reading.seconds()),
      Figures.count(count / reading.seconds()),
      writerRate < 0 ? "-" : Figures.count(writerRate),
      lag == null ? "-" : Long.toString(lag.lagPercentile(50)),
      lag == null ? "-" : Long.toString(lag.lagPercentile(99)),
      lag == null ? "-" : Long.toString(lag.lagMax()),
      Figures.twoDecimals(reading.benchCores()),
      Figures.twoDecimals(reading.otherCores()),
      Figures.oneDecimal(reading.load())
    };
  }

  private static void require(boolean arrived, CdcPipeline pipeline, Arrivals arrivals, long n) {
    if (!arrived) {
      throw new IllegalStateException(
          pipeline.name() + " stalled at " + arrivals.count() + " of " + n + " changes");
    }
  }

  /** A plain JDBC writer of the comparison. */
  private record Plain(String name, boolean upsert, boolean rewritten) {}

  private void sinks(InletServer server) throws Exception {
    SinkComparison sink = new SinkComparison(postgres, sinkBatch);
    String table = "bench_sink";
    List<Plain> plains = new ArrayList<>();
    plains.add(new Plain("plain JDBC batch INSERT", false, false));
    plains.add(new Plain("plain JDBC batch upsert", true, false));
    if (plainRewritten) {
      plains.add(new Plain("plain JDBC batch INSERT, rewritten", false, true));
      plains.add(new Plain("plain JDBC batch upsert, rewritten", true, true));
    }
    List<String> ratioHeaders = new ArrayList<>();
    ratioHeaders.add("round");
    plains.forEach(p -> ratioHeaders.add("sink / " + p.name().replace("plain JDBC batch ", "")));
    sinkRatios = new MarkdownTable(ratioHeaders.toArray(String[]::new));
    try {
      for (int round = 1; round <= sinkRuns; round++) {
        double sinkRate = sinkRound(server, sink, table, round);
        Object[] ratios = new Object[plains.size() + 1];
        ratios[0] = round;
        for (int i = 0; i < plains.size(); i++) {
          Plain p = plains.get(i);
          sink.recreate(table);
          QuietMachine.await(quietCores, 600);
          System.out.println(p.name() + ": " + rows + " rows");
          PhaseMeter plain = new PhaseMeter();
          sink.plain(table, rows, p.upsert(), p.rewritten());
          PhaseMeter.Reading reading = plain.read(System.nanoTime());
          ratios[i + 1] = Math.round(100 * sinkRate / (rows / reading.seconds())) + "%";
          sinks.row(sinkRow(round, p.name(), reading));
        }
        sinkRatios.row(ratios);
      }
    } finally {
      sink.drop(table);
    }
  }

  /** One run of the JDBC sink over the whole stream into a fresh table; returns its rows/s. */
  private double sinkRound(InletServer server, SinkComparison sink, String table, int round)
      throws Exception {
    sink.recreate(table);
    QuietMachine.await(quietCores, 600);
    System.out.println("JDBC sink: " + rows + " records from the stream into PostgreSQL");
    PhaseMeter meter = new PhaseMeter();
    var runtime = server.connectors().runtime();
    sink.startSink(runtime, InletPipeline.STREAM, table);
    long stall = System.nanoTime();
    long seen = -1;
    while (runtime.get(SinkComparison.SINK).records() < rows) {
      long now = runtime.get(SinkComparison.SINK).records();
      if (now != seen) {
        seen = now;
        stall = System.nanoTime();
      } else if (System.nanoTime() - stall > stallSeconds * 1_000_000_000L) {
        throw new IllegalStateException("the sink stalled at " + now + " of " + rows);
      }
      Thread.sleep(5);
    }
    PhaseMeter.Reading reading = meter.read(System.nanoTime());
    sinks.row(sinkRow(round, "Inlet JDBC sink (upsert)", reading));
    runtime.delete(SinkComparison.SINK);
    return rows / reading.seconds();
  }

  private Object[] sinkRow(int round, String writer, PhaseMeter.Reading reading) {
    return new Object[] {
      round,
      writer,
      Figures.count(rows),
      Figures.oneDecimal(reading.seconds()),
      Figures.count(rows / reading.seconds()),
      Figures.twoDecimals(reading.benchCores()),
      Figures.twoDecimals(reading.otherCores()),
      Figures.oneDecimal(reading.load())
    };
  }
}
