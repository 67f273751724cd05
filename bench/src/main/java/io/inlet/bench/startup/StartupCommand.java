package io.inlet.bench.startup;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.RecordId;
import io.inlet.bench.append.AppendDriver;
import io.inlet.bench.client.BatchPool;
import io.inlet.bench.client.Channels;
import io.inlet.bench.client.StreamAdmin;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MachineLoad;
import io.inlet.bench.report.MarkdownTable;
import io.inlet.bench.server.ChildServer;
import io.inlet.bench.server.RunDir;
import io.inlet.bench.server.TargetOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code startup}: cold start, and restart on a large data dir. */
@Command(
    name = "startup",
    description =
        "Time from spawning the server to its first answered request: on an empty data dir, and"
            + " after a clean stop on a data dir filled with --data-gb GB (also the time to the"
            + " first read of a shard's tail).",
    mixinStandardHelpOptions = true)
public final class StartupCommand implements Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  private static final String STREAM = "bench-startup";

  @Mixin TargetOptions target;

  @Option(
      names = "--cold-runs",
      description = "Cold starts on an empty data dir. Default: ${DEFAULT-VALUE}.",
      defaultValue = "3")
  int coldRuns;

  @Option(
      names = "--data-gb",
      description =
          "GB (10^9 bytes) of record payload (1 KiB records in batches of 1000) to fill the data"
              + " dir with before the restart measurement; 0 skips it."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "5")
  double dataGigabytes;

  @Option(
      names = "--shards",
      description = "Shards of the filled stream. Default: ${DEFAULT-VALUE}.",
      defaultValue = "4")
  int shards;

  @Option(
      names = "--fill-clients",
      description = "Clients filling the data dir. Default: ${DEFAULT-VALUE}.",
      defaultValue = "8")
  int fillClients;

  @Override
  public Integer call() throws Exception {
    if (target.external()) {
      throw new IllegalArgumentException("startup starts its own servers; drop --server");
    }
    double loadAtStart = MachineLoad.loadAverage();
    MarkdownTable table = new MarkdownTable("data dir", "measurement", "ms");
    for (int i = 1; i <= coldRuns; i++) {
      try (RunDir runDir = target.newRunDir("startup-cold")) {
        ChildServer server =
            ChildServer.spawn(target.launch(), runDir.dataDir(), runDir.file("server.log"));
        try {
          Duration ready = server.awaitReady(READY_TIMEOUT);
          table.row("empty", "cold start " + i + ": spawn to first Echo", ready.toMillis());
        } finally {
          table.row("empty", "clean stop " + i, server.stop().toMillis());
        }
      }
    }
    if (dataGigabytes > 0) {
      restartOnLargeDataDir(table);
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Startup (spawn = process start, including JVM start-up); 1-min load average %.1f at"
            + " start, %.1f at end%n",
        loadAtStart,
        MachineLoad.loadAverage());
    table.print(System.out);
    return 0;
  }

  private void restartOnLargeDataDir(MarkdownTable table) throws InterruptedException {
    long targetBytes = (long) (dataGigabytes * 1e9);
    try (RunDir runDir = target.newRunDir("startup-large")) {
      List<RecordId> tails = new ArrayList<>();
      ChildServer first =
          ChildServer.spawn(target.launch(), runDir.dataDir(), runDir.file("server-1.log"));
      try {
        first.awaitReady(READY_TIMEOUT);
        fill(first, runDir, targetBytes, tails);
      } finally {
        long stopMillis = first.stop().toMillis();
        String size = gigabytes(runDir.dataBytes());
        table.row(size, "clean stop after filling", stopMillis);
      }
      String size = gigabytes(runDir.dataBytes());
      ChildServer second =
          ChildServer.spawn(target.launch(), runDir.dataDir(), runDir.file("server-2.log"));
      try {
        Duration ready = second.awaitReady(READY_TIMEOUT);
        table.row(size, "restart: spawn to first Echo", ready.toMillis());
        try (Channels channels = Channels.open(second, 1)) {
          long firstTail = awaitTailRead(channels.forClient(0), tails.get(0));
          table.row(
              size,
              "restart: spawn to first read of a shard's tail",
              TimeUnit.NANOSECONDS.toMillis(firstTail - second.spawnNanos()));
          long allTails = 0;
          for (RecordId tail : tails) {
            allTails = awaitTailRead(channels.forClient(0), tail);
          }
          table.row(
              size,
              "restart: spawn to tails of all " + tails.size() + " shards read",
              TimeUnit.NANOSECONDS.toMillis(allTails - second.spawnNanos()));
        }
      } finally {
        table.row(size, "clean stop after restart", second.stop().toMillis());
      }
    }
  }

  private void fill(ChildServer server, RunDir runDir, long targetBytes, List<RecordId> tails)
      throws InterruptedException {
    try (Channels channels = Channels.open(server, Math.min(fillClients, 8))) {
      StreamAdmin admin = new StreamAdmin(channels.forClient(0));
      List<Long> shardIds = admin.createStream(STREAM, shards);
      BatchPool pool = new BatchPool(STREAM, shardIds, 1024, 1000);
      long batches = (targetBytes + pool.payloadBytesPerBatch() - 1) / pool.payloadBytesPerBatch();
      long start = System.nanoTime();
      long records =
          AppendDriver.fill(
              channels,
              pool,
              fillClients,
              batches,
              () ->
                  System.err.printf(
                      Locale.ROOT,
                      "  filling: data dir at %s of %s%n",
                      gigabytes(runDir.dataBytes()),
                      gigabytes(targetBytes)));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.printf(
          Locale.ROOT,
          "appended %,d records of 1 KiB in %.1f s (%.0f MB/s); data dir at %s%n",
          records,
          seconds,
          records * 1024 / seconds / 1e6,
          gigabytes(runDir.dataBytes()));
      for (long shardId : shardIds) {
        tails.add(admin.tail(STREAM, shardId));
      }
    }
  }

  /** Polls until the tail record reads back; returns the nanoTime it did. */
  private static long awaitTailRead(ManagedChannel channel, RecordId tail) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "never tried";
    while (System.nanoTime() < deadline) {
      try {
        if (TailRead.read(channel, STREAM, tail)) {
          return System.nanoTime();
        }
        last = "the read did not return record " + tail;
      } catch (StatusRuntimeException e) {
        last = e.getStatus().toString();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new IllegalStateException("could not read the tail " + tail + ": " + last);
  }

  private static String gigabytes(long bytes) {
    return Figures.twoDecimals(bytes / 1e9) + " GB";
  }
}
