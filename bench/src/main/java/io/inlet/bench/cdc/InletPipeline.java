package io.inlet.bench.cdc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.entry.BatchEntries;
import io.inlet.store.ShardLog;
import io.inlet.store.StoredEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Inlet: a node in this JVM (default settings: every append fsync'd, offsets committed after each
 * durable batch) running a MariaDB source connector into a stream, and a consumer tailing that
 * stream from the store that decodes each batch and reads the {@code at_ms} of its first record: a
 * change counts when it can be read from the stream.
 */
final class InletPipeline implements CdcPipeline {
  static final String STREAM = "bench-readings";
  static final String CONNECTOR = "bench-source";

  private final String host;
  private final int port;
  private final String database;
  private final InletServer server;
  private volatile boolean stopped;
  private Thread tail;

  InletPipeline(String host, int port, String database, Path dataDir) throws Exception {
    this.host = host;
    this.port = port;
    this.database = database;
    this.server = InletServer.start(ServerConfig.forTests(dataDir));
  }

  InletServer server() {
    return server;
  }

  @Override
  public String name() {
    return "Inlet connector, stream reader";
  }

  @Override
  public void start(Arrivals arrivals) {
    server
        .connectors()
        .runtime()
        .create(
            CONNECTOR,
            "SOURCE",
            "mariadb",
            Map.of(
                "stream",
                STREAM,
                "host",
                host,
                "port",
                Integer.toString(port),
                "user",
                "inlet_cdc",
                "password",
                "inlet_cdc",
                "database",
                database,
                "table",
                BenchTable.TABLE));
    tail = new Thread(() -> tail(arrivals), "bench-stream-tail");
    tail.start();
  }

  private void tail(Arrivals arrivals) {
    try {
      while (!stopped && server.store().streams().get(STREAM).isEmpty()) {
        Thread.sleep(5);
      }
      long shard = server.store().streams().get(STREAM).orElseThrow().shards().get(0).shardId();
      ShardLog log = server.store().log();
      long next = 0;
      while (!stopped) {
        List<StoredEntry> batches = log.read(shard, next, 64);
        if (batches.isEmpty()) {
          try {
            log.awaitBeyond(shard, next - 1).get(100, TimeUnit.MILLISECONDS);
          } catch (TimeoutException e) {
            // look again (and notice stop)
          }
          continue;
        }
        for (StoredEntry batch : batches) {
          List<HStreamRecord> records = RecordBatches.decode(BatchEntries.batch(batch));
          // Only the batch's first (oldest) change is parsed, and its at_ms stands for the whole
          // batch: the lags are an upper bound, and the tail, which shares the 2 cores with the
          // pipeline, costs about what the raw engine's no-op consumer costs.
          long atMs = records.isEmpty() ? -1 : atMs(records.get(0));
          for (int i = 0; i < records.size(); i++) {
            arrivals.arrived(atMs);
          }
          next = batch.lsn() + 1;
        }
      }
    } catch (Exception e) {
      if (!stopped) {
        System.err.println("stream tail failed: " + e);
      }
    }
  }

  private static long atMs(HStreamRecord record) throws Exception {
    Value value = Struct.parseFrom(record.getPayload()).getFieldsOrThrow("value");
    return value.hasStructValue()
        ? (long) value.getStructValue().getFieldsOrThrow("at_ms").getNumberValue()
        : -1;
  }

  @Override
  public void close() throws Exception {
    stopped = true;
    if (tail != null) {
      tail.join(10_000);
    }
    server.close();
  }
}
