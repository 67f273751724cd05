package io.inlet.bench.drill;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile Append requests of the hostile-gRPC drill, each as a hostile client would send it.
 * Every one must be refused (INVALID_ARGUMENT, or RESOURCE_EXHAUSTED for sizes) without storing
 * anything or consuming a record id.
 */
final class HostileAppends {
  /** One hostile Append, for a given stream and shard. */
  record Case(String name, String expected, Request request) {}

  @FunctionalInterface
  interface Request {
    AppendRequest build(String stream, long shard);
  }

  private HostileAppends() {}

  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    cases.add(lying("batchSize=1000 for 1 record", 1000));
    cases.add(lying("batchSize=0 for 1 record", 0));
    cases.add(
        new Case(
            "bad gzip payload",
            "INVALID_ARGUMENT",
            (s, shard) -> raw(s, shard, CompressionType.Gzip, 1, noise(4096))));
    cases.add(
        new Case(
            "bad zstd payload",
            "INVALID_ARGUMENT",
            (s, shard) -> raw(s, shard, CompressionType.Zstd, 1, noise(4096))));
    cases.add(
        new Case(
            "truncated gzip payload",
            "INVALID_ARGUMENT",
            (s, shard) -> {
              byte[] gzip = gzip(records(3).toByteArray());
              return raw(
                  s, shard, CompressionType.Gzip, 3, ByteString.copyFrom(gzip, 0, gzip.length / 2));
            }));
    cases.add(
        new Case(
            "compression type 7",
            "INVALID_ARGUMENT",
            (s, shard) ->
                request(
                    s,
                    shard,
                    BatchedRecord.newBuilder()
                        .setCompressionTypeValue(7)
                        .setBatchSize(1)
                        .setPayload(records(1).toByteString())
                        .build())));
    cases.add(
        new Case(
            "payload not a protobuf batch",
            "INVALID_ARGUMENT",
            (s, shard) -> raw(s, shard, CompressionType.None, 1, noise(512))));
    cases.add(
        new Case(
            "JSON flag on a payload that is not a Struct",
            "INVALID_ARGUMENT",
            (s, shard) -> {
              HStreamRecord record =
                  HStreamRecord.newBuilder()
                      .setHeader(
                          HStreamRecordHeader.newBuilder()
                              .setFlag(HStreamRecordHeader.Flag.JSON)
                              .setKey("k"))
                      .setPayload(ByteString.copyFromUtf8("this is not a protobuf Struct \u00ff"))
                      .build();
              return request(s, shard, RecordBatches.encode(List.of(record), CompressionType.None));
            }));
    cases.add(
        new Case(
            "gzip bomb (128 MiB of zeros in one record)",
            "INVALID_ARGUMENT",
            (s, shard) -> {
              HStreamRecord record = HStreamRecords.raw("k", new byte[128 << 20], Map.of());
              byte[] batch =
                  BatchHStreamRecords.newBuilder().addRecords(record).build().toByteArray();
              return raw(s, shard, CompressionType.Gzip, 1, ByteString.copyFrom(gzip(batch)));
            }));
    cases.add(
        new Case(
            "huge message (64 MiB payload)",
            "RESOURCE_EXHAUSTED or INVALID_ARGUMENT",
            (s, shard) -> raw(s, shard, CompressionType.None, 1, noise(64 << 20))));
    cases.add(
        new Case(
            "stream name of 10,000 characters",
            "NOT_FOUND or INVALID_ARGUMENT, short message",
            (s, shard) ->
                request(
                    "n".repeat(10_000),
                    shard,
                    RecordBatches.encode(
                        List.of(HStreamRecords.raw("k", new byte[8], Map.of())),
                        CompressionType.None))));
    cases.add(lying("batchSize=4294967295 (uint32 max) for 1 record", -1));
    cases.add(lying("batchSize=2147483647 for 1 record", Integer.MAX_VALUE));
    return cases;
  }

  private static Case lying(String name, int batchSize) {
    return new Case(
        name,
        "INVALID_ARGUMENT",
        (s, shard) -> {
          BatchedRecord honest =
              RecordBatches.encode(
                  List.of(
                      HStreamRecords.raw(
                          "k", "one record".getBytes(StandardCharsets.UTF_8), Map.of())),
                  CompressionType.None);
          return request(s, shard, honest.toBuilder().setBatchSize(batchSize).build());
        });
  }

  private static AppendRequest raw(
      String stream, long shard, CompressionType compression, int batchSize, ByteString payload) {
    return request(
        stream,
        shard,
        BatchedRecord.newBuilder()
            .setCompressionType(compression)
            .setBatchSize(batchSize)
            .setPayload(payload)
            .build());
  }

  private static AppendRequest request(String stream, long shard, BatchedRecord batch) {
    return AppendRequest.newBuilder()
        .setStreamName(stream)
        .setShardId(shard)
        .setRecords(batch)
        .build();
  }

  private static BatchHStreamRecords records(int count) {
    BatchHStreamRecords.Builder batch = BatchHStreamRecords.newBuilder();
    for (int i = 0; i < count; i++) {
      batch.addRecords(
          HStreamRecords.json(
              "k",
              Struct.newBuilder()
                  .putFields("i", Value.newBuilder().setNumberValue(i).build())
                  .build(),
              Map.of()));
    }
    return batch.build();
  }

  private static ByteString noise(int bytes) {
    byte[] data = new byte[bytes];
    new SplittableRandom(bytes).nextBytes(data);
    return ByteString.copyFrom(data);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
