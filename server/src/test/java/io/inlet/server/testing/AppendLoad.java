package io.inlet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.nio.charset.StandardCharsets;
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

/**
 * Concurrent appenders on a node until it stops answering, keeping every acknowledged record: the
 * load of the kill -9 tests. Each appender writes to one shard, with a mix of batch sizes and
 * compressions; payloads say which appender, batch and record they are.
 */
public final class AppendLoad {
  /** A record the node acknowledged: its id and its payload. */
  public record Acked(RecordId id, ByteString payload) {}

  private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
  private final AtomicInteger batches = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch done;

  private AppendLoad(int appenders) {
    done = new CountDownLatch(appenders);
  }

  /** Starts {@code appenders} threads appending to {@code stream}'s shards, round robin. */
  public static AppendLoad start(
      GrpcClient client, String stream, List<Long> shards, int appenders) {
    AppendLoad load = new AppendLoad(appenders);
    for (int t = 0; t < appenders; t++) {
      int thread = t;
      Thread appender =
          new Thread(
              () -> {
                try {
                  load.appendUntilFailure(client, stream, shards, thread);
                } finally {
                  load.done.countDown();
                }
              },
              "appender-" + t);
      appender.setDaemon(true);
      appender.start();
    }
    return load;
  }

  /** Waits until {@code count} batches are acknowledged (polling a counter, with a deadline). */
  public void awaitBatches(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (batches.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(batches.get()).as("batches acknowledged").isGreaterThan(0);
  }

  /** Stops the appenders (after the node is gone, they end on their own) and waits for them. */
  public List<Acked> stop() throws InterruptedException {
    stop.set(true);
    assertThat(done.await(60, TimeUnit.SECONDS)).as("appenders ended").isTrue();
    return List.copyOf(acked);
  }

  private void appendUntilFailure(GrpcClient client, String stream, List<Long> shards, int thread) {
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
                        .setStreamName(stream)
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

  /** Every record of a shard, in order, read from the earliest to the latest. */
  public static List<Acked> readAll(GrpcClient client, long shard) {
    List<Acked> out = new ArrayList<>();
    for (ReceivedRecord r : StreamContents.received(client, shard)) {
      List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
      assertThat(records).hasSize(r.getRecordIdsCount());
      for (int i = 0; i < records.size(); i++) {
        out.add(new Acked(r.getRecordIds(i), records.get(i).getPayload()));
      }
    }
    return out;
  }

  /** The highest acknowledged batch id (LSN) per shard. */
  public static Map<Long, Long> highestLsns(List<Acked> acked) {
    Map<Long, Long> highest = new HashMap<>();
    for (Acked a : acked) {
      highest.merge(a.id().getShardId(), a.id().getBatchId(), Math::max);
    }
    return highest;
  }
}
