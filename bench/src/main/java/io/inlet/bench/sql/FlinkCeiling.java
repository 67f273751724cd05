package io.inlet.bench.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Flink's own rate for the same queries without Inlet: a generated in-memory source (Flink's {@code
 * datagen}: a sequence, the same devices, values and event-time spacing as the load) into a {@code
 * blackhole} sink, parallelism 1, in this JVM. The rate is records / the job's net run time (job
 * start-up excluded), the ceiling any connector can reach on this machine.
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
      TableEnvironment env =
          TableEnvironment.create(
              EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
      long t0 = System.currentTimeMillis() / 1000 * 1000;
      env.executeSql(
          "CREATE TEMPORARY TABLE gen (id BIGINT, v0 INT,"
              + " device AS CONCAT('d', CAST(MOD(id, "
              + devices
              + ") AS STRING)), v AS CAST(v0 AS DOUBLE) / 100,"
              + " ts AS TO_TIMESTAMP_LTZ("
              + t0
              + " + id * 1000 / "
              + recordsPerEventSecond
              + ", 3), WATERMARK FOR ts AS ts - INTERVAL '0.2' SECOND) WITH ("
              + "'connector' = 'datagen', 'rows-per-second' = '1000000000',"
              + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '"
              + records
              + "', 'fields.v0.min' = '0', 'fields.v0.max' = '9999')");
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
