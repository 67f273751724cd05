package io.inlet.bench.sql;

import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.report.QuietMachine;
import io.inlet.bench.server.TargetOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sql}: JSON records through continuous queries on a node's in-process Flink cluster, each
 * beside Flink's own rate for the same query on a generated source; then an idle node's footprint.
 */
@Command(
    name = "sql",
    description =
        "Continuous SQL: records/s and end-to-end latency of (a) a filter and projection, (b) a"
            + " 1-second tumbling aggregate by device, (c) a view of that aggregate read by pull"
            + " queries, each on a fresh node, beside Flink's rate for the same query on a"
            + " generated source; then an idle node's RSS and CPU before and after its first"
            + " query.",
    mixinStandardHelpOptions = true)
public final class SqlCommand implements Callable<Integer> {
  @Mixin TargetOptions target;

  @Option(
      names = "--records",
      description = "Records per phase. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000000")
  long records;

  @Option(
      names = "--devices",
      description = "Distinct devices. Default: ${DEFAULT-VALUE}.",
      defaultValue = "100")
  int devices;

  @Option(
      names = "--batch",
      description = "Records per Append. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1000")
  int batch;

  @Option(
      names = "--clients",
      description = "Appending clients, one Append in flight each. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4")
  int clients;

  @Option(
      names = "--shards",
      description = "Shards of the source stream. Default: ${DEFAULT-VALUE}.",
      defaultValue = "2")
  int shards;

  @Option(
      names = "--lateness-ms",
      description = "The nodes' sql-allowed-lateness in ms. Default: ${DEFAULT-VALUE}.",
      defaultValue = "200")
  long latenessMillis;

  @Option(
      names = "--phases",
      split = ",",
      description =
          "Which of ceiling, filter, window (each query alone, on records appended before it"
              + " starts), filter-live, window-live (the load appended while the query runs: end"
              + " to end latency), view, idle to run. Default: all.",
      defaultValue = "ceiling,filter,window,filter-live,window-live,view,idle")
  List<String> phases;

  @Option(
      names = "--live-rate",
      description =
          "Records/s of the live phases' load in all (filter-live, window-live, view); 0: as fast"
              + " as the node takes them, so their latency includes the queue of a saturated node."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  double liveRate;

  @Option(
      names = "--warmup-records",
      description =
          "Records appended in phases (a) and (b) before the measured load, the same way (at"
              + " --live-rate when set), their results awaited and not measured (0: none)."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  long warmupRecords;

  @Option(
      names = "--idle-seconds",
      description = "Length of each idle measurement. Default: ${DEFAULT-VALUE}.",
      defaultValue = "20")
  long idleSeconds;

  @Option(
      names = "--quiet-cores",
      description =
          "Before each phase, wait until other processes use at most this many cores (0: do not"
              + " wait). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  double quietCores;

  @Option(
      names = "--stall-seconds",
      description = "Give up on a phase after this long. Default: ${DEFAULT-VALUE}.",
      defaultValue = "600")
  long stallSeconds;

  @Option(
      names = "--pull-seconds",
      description =
          "After phase (c)'s load, run pull queries on its view for this long per measurement"
              + " (0: skip). Default: ${DEFAULT-VALUE}.",
      defaultValue = "10")
  double pullSeconds;

  @Override
  public Integer call() throws Exception {
    // Flink's INFO lines (slf4j-simple) would drown the figures.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.out.println("sql benchmark, " + Instant.now() + ", " + records + " records per phase");
    MarkdownTable queries =
        new MarkdownTable(
            "query",
            "records",
            "append s",
            "seconds",
            "records/s",
            "Flink ceiling records/s",
            "ratio",
            "latency",
            "p50 ms",
            "p99 ms",
            "max ms",
            "node cores",
            "other cores",
            "load",
            "note");
    double ceilingFilter = Double.NaN;
    double ceilingWindow = Double.NaN;
    if (phases.contains("ceiling")) {
      QuietMachine.await(quietCores, 600);
      FlinkCeiling ceiling = new FlinkCeiling(records, devices, 300_000);
      ceilingFilter = ceiling.filter();
      System.out.println(
          "Flink ceiling (generated source), filter: "
              + Figures.count(ceilingFilter)
              + " records/s");
      ceilingWindow = ceiling.window();
      System.out.println(
          "Flink ceiling (generated source), window: "
              + Figures.count(ceilingWindow)
              + " records/s");
    }
    SqlPhases runs =
        new SqlPhases(records, devices, batch, stallSeconds, pullSeconds, liveRate, warmupRecords);
    AlonePhases alone = new AlonePhases(records, stallSeconds);
    List<String> measured =
        new ArrayList<>(List.of("filter", "window", "filter-live", "window-live", "view"));
    measured.retainAll(phases);
    for (String phase : measured) {
      QuietMachine.await(quietCores, 600);
      try (SqlNode node = new SqlNode(target, "sql-" + phase, latenessMillis, clients)) {
        QueryPhase p = new QueryPhase(node.channels(), shards, devices, batch, latenessMillis);
        PhaseFigures f;
        double ceiling;
        try {
          switch (phase) {
            case "filter" -> {
              f = alone.filter(p, node.pid());
              ceiling = ceilingFilter;
            }
            case "window" -> {
              f = alone.window(p, node.pid());
              ceiling = ceilingWindow;
            }
            case "filter-live" -> {
              f = runs.filter(p, node.pid());
              ceiling = ceilingFilter;
            }
            case "window-live" -> {
              f = runs.window(p, node.pid());
              ceiling = ceilingWindow;
            }
            default -> {
              f = runs.view(p, node.pid());
              ceiling = ceilingWindow;
            }
          }
        } catch (RuntimeException e) {
          System.err.println("the node's log:\n" + node.logTail());
          throw e;
        }
        System.out.println(f.phase() + ": " + Figures.count(f.recordsPerSecond()) + " records/s");
        queries.row(
            f.phase(),
            Figures.count(f.records()),
            Figures.oneDecimal(f.appendSeconds()),
            Figures.oneDecimal(f.seconds()),
            Figures.count(f.recordsPerSecond()),
            Double.isNaN(ceiling) ? "-" : Figures.count(ceiling),
            Double.isNaN(ceiling) ? "-" : Figures.percent(f.recordsPerSecond() / ceiling),
            f.latencyLabel(),
            percentile(f, 50),
            percentile(f, 99),
            percentile(f, 100),
            Figures.twoDecimals(f.serverCores()),
            Figures.twoDecimals(f.otherCores()),
            Figures.oneDecimal(f.load()),
            f.note());
        queries.print(System.out); // so far, in case a later phase fails
      }
    }
    System.out.println();
    queries.print(System.out);
    if (!runs.pullRates().isEmpty()) {
      MarkdownTable pulls =
          new MarkdownTable(
              "pull query",
              "clients",
              "view rows",
              "queries",
              "queries/s",
              "p50 ms",
              "p99 ms",
              "max ms");
      for (PullRate.Result r : runs.pullRates()) {
        pulls.row(
            r.query(),
            r.clients(),
            Figures.count(r.viewRows()),
            Figures.count(r.queries()),
            Figures.count(r.perSecond()),
            Figures.twoDecimals(r.micros().getValueAtPercentile(50) / 1000.0),
            Figures.twoDecimals(r.micros().getValueAtPercentile(99) / 1000.0),
            Figures.twoDecimals(r.micros().getMaxValue() / 1000.0));
      }
      System.out.println();
      System.out.println("pull queries on the view of (c), after its load");
      pulls.print(System.out);
    }
    if (phases.contains("idle")) {
      MarkdownTable idle = new MarkdownTable("node", "RSS", "CPU cores", "over", "load");
      QuietMachine.await(quietCores, 600);
      try (SqlNode node = new SqlNode(target, "sql-idle", latenessMillis, 1)) {
        new IdleNode(idleSeconds).measure(node, idle);
      }
      System.out.println();
      System.out.println("idle node (JVM " + String.join(" ", target.launch().jvmOptions()) + ")");
      idle.print(System.out);
    }
    return 0;
  }

  /** A latency percentile in ms, or "-" when the phase measured none. */
  private static String percentile(PhaseFigures f, double percentile) {
    if (f.latencyMillis().getTotalCount() == 0) {
      return "-";
    }
    return Long.toString(f.latencyMillis().getValueAtPercentile(percentile));
  }
}
