package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load loses nothing that was acknowledged: every acked record is there after a
 * restart, with the same id and bytes, in order per shard.
 */
class CrashRecoveryIT {
  private static final int APPENDERS = 16;
  private static final int SHARDS = 4;
  private static final String STREAM = "crash";

  @TempDir Path dir;

  record Acked(RecordId id, ByteString payload) {}

  @Test
  void every_acknowledged_record_survives_kill_9() throws Exception {
    Path data = dir.resolve("data");
    List<Long> shards;
    ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    AtomicInteger batches = new AtomicInteger();
    try (InletProcess first = InletProcess.start(dir.resolve("run1"), data)) {
      first.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(first.grpcPort())) {
        client.createStream(STREAM, SHARDS);
        shards = client.shardIds(STREAM);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(APPENDERS);
        for (int t = 0; t < APPENDERS; t++) {
          int thread = t;
          Thread appender =
              new Thread(
                  () -> {
                    try {
                      appendUntilFailure(client, shards, thread, stop, acked, batches);
                    } finally {
                      done.countDown();
                    }
                  },
                  "appender-" + t);
          appender.setDaemon(true);
          appender.start();
        }
        // kill mid-load: once enough batches are acknowledged, with appenders still running
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (batches.get() < 400 && System.nanoTime() < deadline) {
          Thread.sleep(10); // polling a counter with a deadline
        }
        assertThat(batches.get()).as("batches acknowledged before the kill").isGreaterThan(0);
        first.kill();
        stop.set(true);
        assertThat(done.await(60, TimeUnit.SECONDS)).as("appenders ended").isTrue();
      }
    }
    assertThat(acked).isNotEmpty();

    try (InletProcess second = InletProcess.start(dir.resolve("run2"), data)) {
      second.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(second.grpcPort())) {
        assertThat(client.shardIds(STREAM)).isEqualTo(shards);
        Map<Long, List<Acked>> stored = new HashMap<>();
        for (long shard : shards) {
          stored.put(shard, readAll(client, shard));
        }
        Map<RecordId, ByteString> byId = new HashMap<>();
        Map<RecordId, Integer> position = new HashMap<>();
        for (List<Acked> records : stored.values()) {
          for (int i = 0; i < records.size(); i++) {
            byId.put(records.get(i).id(), records.get(i).payload());
            position.put(records.get(i).id(), i);
          }
        }
        Map<Long, List<Acked>> ackedPerShard = new HashMap<>();
        for (Acked a : acked) {
          assertThat(byId).as("acknowledged record %s is stored", a.id()).containsKey(a.id());
          assertThat(byId.get(a.id())).as("bytes of %s", a.id()).isEqualTo(a.payload());
          ackedPerShard.computeIfAbsent(a.id().getShardId(), k -> new ArrayList<>()).add(a);
        }
        for (List<Acked> list : ackedPerShard.values()) {
          list.sort(
              (x, y) ->
                  x.id().getBatchId() != y.id().getBatchId()
                      ? Long.compare(x.id().getBatchId(), y.id().getBatchId())
                      : Integer.compare(x.id().getBatchIndex(), y.id().getBatchIndex()));
          for (int i = 1; i < list.size(); i++) {
            assertThat(position.get(list.get(i).id()))
                .as("stored order follows record ids")
                .isGreaterThan(position.get(list.get(i - 1).id()));
          }
        }
      }
      second.stop(Duration.ofSeconds(30));
    }
  }

  private static void appendUntilFailure(
      GrpcClient client,
      List<Long> shards,
      int thread,
      AtomicBoolean stop,
      ConcurrentLinkedQueue<Acked> acked,
      AtomicInteger batches) {
    Random random = new Random(thread);
    long shard = shards.get(thread % shards.size());
    CompressionType compression = CompressionType.values()[thread % 3];
    for (int seq = 0; !stop.get(); seq++) {
      int size = 1 + random.nextInt(thread % 2 == 0 ? 3 : 40);
      List<HStreamRecord> records = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        byte[] payload = ("t" + thread + "-" + seq + "-" + i).getBytes(StandardCharsets.UTF_8);
        records.add(HStreamRecords.raw("k" + thread, payload, Map.of()));
      }
      BatchedRecord batch = RecordBatches.encode(records, compression);
      AppendResponse response;
      try {
        response =
            client
                .stub()
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .append(
                    AppendRequest.newBuilder()
                        .setStreamName(STREAM)
                        .setShardId(shard)
                        .setRecords(batch)
                        .build());
      } catch (RuntimeException e) {
        return; // the server is gone
      }
      assertThat(response.getRecordIdsCount()).isEqualTo(size);
      for (int i = 0; i < size; i++) {
        acked.add(new Acked(response.getRecordIds(i), records.get(i).getPayload()));
      }
      batches.incrementAndGet();
    }
  }

  private static List<Acked> readAll(GrpcClient client, long shard) {
    List<Acked> out = new ArrayList<>();
    client
        .stub()
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(
            response -> {
              for (ReceivedRecord r : response.getReceivedRecordsList()) {
                List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
                assertThat(records).hasSize(r.getRecordIdsCount());
                for (int i = 0; i < records.size(); i++) {
                  out.add(new Acked(r.getRecordIds(i), records.get(i).getPayload()));
                }
              }
            });
    return out;
  }
}
