package io.inlet.bench.sql;

import io.inlet.bench.report.MachineLoad;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.report.ProcessUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An idle node's footprint: resident memory and CPU over a quiet interval, first with no query
 * (Flink never started), then with one running query and nothing to read (the in-process Flink
 * cluster up).
 */
final class IdleNode {
  private final long seconds;

  IdleNode(long seconds) {
    this.seconds = seconds;
  }

  void measure(SqlNode node, MarkdownTable table) throws Exception {
    long pid = node.pid();
    Thread.sleep(5_000); // start-up's own work settles
    table.row(row("no query (Flink not started)", pid));

    QueryPhase p = new QueryPhase(node.channels(), 1, 10, 10, 0);
    p.load.append(10);
    p.execute("CREATE STREAM idle_out AS SELECT device, v FROM readings WHERE v >= 0;");
    AtomicLong rows = new AtomicLong();
    try (ResultTail tail =
        new ResultTail(
            p.channel,
            "idle_out",
            p.shardsOf("idle_out", 120_000),
            (r, t) -> rows.incrementAndGet())) {
      QueryPhase.awaitNanos("the idle query's output", 300, () -> rows.get() >= 10, tail::check);
    }
    Thread.sleep(10_000); // the job's start-up settles; checkpoints go on
    table.row(row("one running query, no input (MiniCluster up)", pid));
  }

  private Object[] row(String state, long pid) throws InterruptedException {
    ProcessUsage.Snapshot before = ProcessUsage.snapshot(pid);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000);
    ProcessUsage.Snapshot after = ProcessUsage.snapshot(pid);
    double cores = ProcessUsage.coresUsed(before, after, (System.nanoTime() - start) / 1e9);
    return new Object[] {
      state,
      rssMiB(pid) + " MiB",
      String.format("%.3f", cores),
      seconds + " s",
      String.format("%.1f", MachineLoad.loadAverage())
    };
  }

  private static long rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
