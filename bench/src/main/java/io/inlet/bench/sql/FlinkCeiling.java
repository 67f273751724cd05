package io.inlet.bench.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Flink's own rate for the same queries without Inlet: a generated in-memory source (Flink's {@code
 * fromSequence}: the same devices, values in [0, 100) and event time advancing 1 s per 300,000
 * records) into a {@code blackhole} sink, parallelism 1, in this JVM. The rate is records / the
 * job's net run time (job start-up excluded), the ceiling any connector can reach on this machine.
 */
final class FlinkCeiling {
  private final long records;
  private final int devices;
  private final long recordsPerEventSecond;

  FlinkCeiling(long records, int devices, long recordsPerEventSecond) {
    this.records = records;
    this.devices = devices;
    this.recordsPerEventSecond = recordsPerEventSecond;
  }

  /** Records/s of (a) the filter and projection. */
  double filter() throws Exception {
    return run(
        "CREATE TEMPORARY TABLE out_a (device STRING, v DOUBLE, ts TIMESTAMP_LTZ(3))"
            + " WITH ('connector' = 'blackhole')",
        "INSERT INTO out_a SELECT device, v, ts FROM gen WHERE v > "
            + ReadingLoad.FILTER_THRESHOLD);
  }

  /** Records/s of (b) the 1-second tumbling aggregate by device. */
  double window() throws Exception {
    return run(
        "CREATE TEMPORARY TABLE out_b (device STRING, window_start TIMESTAMP(3), c BIGINT,"
            + " total DOUBLE) WITH ('connector' = 'blackhole')",
        "INSERT INTO out_b SELECT device, window_start, COUNT(*), SUM(v) FROM TABLE(TUMBLE(TABLE"
            + " gen, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY device, window_start,"
            + " window_end");
  }

  private double run(String sinkDdl, String insert) throws Exception {
    Path tmp = Files.createTempDirectory("inlet-bench-flink");
    try {
      Configuration conf = new Configuration();
      conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
      conf.set(CoreOptions.TMP_DIRS, tmp.toString());
      StreamExecutionEnvironment streams = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      StreamTableEnvironment env = StreamTableEnvironment.create(streams);
      long t0 = System.currentTimeMillis() / 1000 * 1000;
      DataStream<Long> ids = streams.fromSequence(1, records);
      env.createTemporaryView(
          "gen",
          env.fromDataStream(
              ids,
              Schema.newBuilder()
                  .columnByExpression(
                      "device", "CONCAT('d', CAST(MOD(f0, " + devices + ") AS STRING))")
                  .columnByExpression("v", "CAST(MOD(f0 * 7919, 10000) AS DOUBLE) / 100")
                  .columnByExpression(
                      "ts",
                      "TO_TIMESTAMP_LTZ(" + t0 + " + f0 * 1000 / " + recordsPerEventSecond + ", 3)")
                  .watermark("ts", "ts - INTERVAL '0.2' SECOND")
                  .build()));
      env.executeSql(sinkDdl);
      TableResult result = env.executeSql(insert);
      var client = result.getJobClient().orElseThrow();
      long millis =
          client
              .getJobExecutionResult()
              .get(10, TimeUnit.MINUTES)
              .getNetRuntime(TimeUnit.MILLISECONDS);
      return records / (millis / 1000.0);
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
