package io.inlet.bench.drill;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * gRPC Append load for accounting: each appender sends batches of 1 to 20 unique records (none,
 * gzip and zstd compression) to one shard, one request at a time, and records each acknowledged
 * record in the {@link Ledger}. An appender ends at {@link #stop}, or at its first failure unless
 * it is told to keep trying (the disk-full drill).
 */
final class AppendLoad {
  private final ManagedChannel channel;
  private final String stream;
  private final List<Long> shards;
  private final Ledger ledger;
  private final Tally tally;
  private final String tag;
  private final boolean keepTrying;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Workers workers = new Workers();
  private final Map<String, Long> errorCodes = new ConcurrentHashMap<>();

  AppendLoad(
      ManagedChannel channel,
      String stream,
      List<Long> shards,
      Ledger ledger,
      Tally tally,
      String tag,
      boolean keepTrying) {
    this.channel = channel;
    this.stream = stream;
    this.shards = shards;
    this.ledger = ledger;
    this.tally = tally;
    this.tag = tag;
    this.keepTrying = keepTrying;
  }

  void start(int appenders) {
    workers.start("drill-append-" + tag, appenders, this::run);
  }

  private void run(int appender) {
    SplittableRandom random = new SplittableRandom(tag.hashCode() * 31L + appender);
    long shard = shards.get(appender % shards.size());
    CompressionType compression = CompressionType.forNumber(appender % 3);
    for (long seq = 0; !stop.get(); seq++) {
      List<HStreamRecord> records = new ArrayList<>();
      int count = 1 + random.nextInt(20);
      for (int i = 0; i < count; i++) {
        byte[] noise = new byte[16 + random.nextInt(200)];
        random.nextBytes(noise);
        ByteString payload =
            ByteString.copyFrom(
                    tag + "-a" + appender + "-" + seq + "-" + i + "-", StandardCharsets.UTF_8)
                .concat(ByteString.copyFrom(noise));
        records.add(HStreamRecords.raw("k" + appender, payload.toByteArray(), Map.of()));
      }
      tally.attempts.addAndGet(count);
      AppendResponse response;
      try {
        response =
            HStreamApiGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .append(
                    AppendRequest.newBuilder()
                        .setStreamName(stream)
                        .setShardId(shard)
                        .setRecords(RecordBatches.encode(records, compression))
                        .build());
      } catch (StatusRuntimeException e) {
        tally.add("append_errors", 1);
        errorCodes.merge(e.getStatus().getCode().name(), 1L, Long::sum);
        if (!keepTrying) {
          return;
        }
        pause(50);
        continue;
      }
      if (response.getRecordIdsCount() != count) {
        tally.finding(
            "Append of "
                + count
                + " records was acknowledged with "
                + response.getRecordIdsCount()
                + " record ids");
      }
      for (int i = 0; i < Math.min(count, response.getRecordIdsCount()); i++) {
        ledger.appended(response.getRecordIds(i), records.get(i).getPayload());
        tally.acknowledged.incrementAndGet();
      }
    }
  }

  /** How many Appends failed, by gRPC status code. */
  Map<String, Long> errorCodes() {
    return Map.copyOf(errorCodes);
  }

  /** Stops every appender and waits for it. */
  void stop() {
    stop.set(true);
    workers.join();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // back-off between refused appends, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
