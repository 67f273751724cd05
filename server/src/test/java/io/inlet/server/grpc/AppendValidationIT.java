package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Append is checked at the edge before anything is stored: a batch whose payload does not
 * open to exactly {@code batchSize} well-formed records within the limits is refused with
 * INVALID_ARGUMENT, consumes no LSN and never reaches the shard.
 */
class AppendValidationIT {
  /**
   * Small limits so that the tests stay small: 64 KiB on the wire, 256 KiB opened, 2000 records.
   */
  private static final int MAX_PAYLOAD = 64 << 10;

  private static final int MAX_DECOMPRESSED = 256 << 10;
  private static final int MAX_RECORDS = 2000;

  @TempDir static Path dataDir;
  static InletServer server;
  static GrpcClient client;
  static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    server =
        InletServer.start(
            ServerConfig.forTests(
                dataDir,
                Map.of(
                    "max-record-size", Integer.toString(MAX_PAYLOAD),
                    "max-decompressed-batch-size", Integer.toString(MAX_DECOMPRESSED),
                    "max-batch-records", Integer.toString(MAX_RECORDS))));
    client = new GrpcClient(server.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  /** A stream of one shard and that shard's id. */
  private record Shard(String stream, long id) {
    AppendRequest request(BatchedRecord batch) {
      return AppendRequest.newBuilder()
          .setStreamName(stream)
          .setShardId(id)
          .setRecords(batch)
          .build();
    }
  }

  private static Shard newShard() {
    String name = "v" + names.incrementAndGet();
    client.createStream(name, 1);
    return new Shard(name, client.shardIds(name).get(0));
  }

  /**
   * Appends a good batch, runs {@code refused} (which must fail with INVALID_ARGUMENT), appends
   * another good batch: the second gets the LSN right after the first, and the shard holds only the
   * good records.
   */
  private static JsonNode assertRefusedWithoutTrace(
      Shard shard, Supplier<BatchedRecord> refused, ErrorCode code) {
    long before = client.append(shard.stream, shard.id, "good", 2).getRecordIds(0).getBatchId();
    JsonNode body =
        assertFails(
            () -> client.stub().append(shard.request(refused.get())),
            Status.Code.INVALID_ARGUMENT,
            code);
    AppendResponse after = client.append(shard.stream, shard.id, "after", 1);
    assertThat(after.getRecordIds(0).getBatchId()).isEqualTo(before + 1);
    assertThat(StreamContents.payloads(client, shard.stream))
        .as("what the shard holds")
        .endsWith("good0", "good1", "after0")
        .allMatch(p -> p.startsWith("good") || p.startsWith("after"));
    return body;
  }

  private static BatchedRecord withPayload(BatchedRecord batch, byte[] payload) {
    return batch.toBuilder().setPayload(ByteString.copyFrom(payload)).build();
  }

  @Test
  void one_record_sent_as_batch_size_1000_is_refused() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(rawRecords("k", "x", 1)).toBuilder().setBatchSize(1000).build(),
            ErrorCode.StreamEmptyBatchedRecord);
    assertThat(body.get("message").asText()).contains("batchSize 1000").contains("1 record");
  }

  @Test
  void fewer_records_claimed_than_sent_are_refused() {
    Shard shard = newShard();
    assertRefusedWithoutTrace(
        shard,
        () -> batch(rawRecords("k", "x", 3)).toBuilder().setBatchSize(2).build(),
        ErrorCode.StreamEmptyBatchedRecord);
  }

  @Test
  void batch_size_2147483647_is_refused_before_the_payload_is_opened() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () ->
                batch(rawRecords("k", "x", 1)).toBuilder().setBatchSize(Integer.MAX_VALUE).build(),
            ErrorCode.StreamInvalidRecordSize);
    assertThat(body.get("message").asText()).contains("2147483647").contains("2000");
  }

  @Test
  void batch_size_is_read_as_uint32() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(rawRecords("k", "x", 1)).toBuilder().setBatchSize(-1).build(),
            ErrorCode.StreamInvalidRecordSize);
    assertThat(body.get("message").asText()).contains("4294967295").doesNotContain("-1");
  }

  @Test
  void more_records_than_max_batch_records_are_refused() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(rawRecords("k", "x", MAX_RECORDS + 1)),
            ErrorCode.StreamInvalidRecordSize);
    assertThat(body.get("message").asText()).contains("max-batch-records");
    // The limit itself is fine.
    assertThat(
            client
                .append(shard.stream, shard.id, batch(rawRecords("k", "y", MAX_RECORDS)))
                .getRecordIdsCount())
        .isEqualTo(MAX_RECORDS);
  }

  @Test
  void compression_type_7_is_refused() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(rawRecords("k", "x", 1)).toBuilder().setCompressionTypeValue(7).build(),
            ErrorCode.StreamEmptyBatchedRecord);
    assertThat(body.get("message").asText()).contains("compressionType 7");
  }

  @Test
  void corrupt_gzip_and_zstd_payloads_are_refused() {
    Shard shard = newShard();
    for (CompressionType type : List.of(CompressionType.Gzip, CompressionType.Zstd)) {
      BatchedRecord good = RecordBatches.encode(rawRecords("k", "x", 5), type);
      byte[] bytes = good.getPayload().toByteArray();
      // gzip's CRC covers its data; a zstd frame without a checksum is only caught by its header.
      int at = type == CompressionType.Gzip ? bytes.length / 2 : 0;
      bytes[at] ^= 0x5a;
      bytes[at + 1] ^= 0x5a;
      JsonNode body =
          assertRefusedWithoutTrace(
              shard, () -> withPayload(good, bytes), ErrorCode.StreamEmptyBatchedRecord);
      assertThat(body.get("message").asText()).as(type.name()).contains(type.name());
      byte[] truncated = java.util.Arrays.copyOf(good.getPayload().toByteArray(), 12);
      assertRefusedWithoutTrace(
          shard, () -> withPayload(good, truncated), ErrorCode.StreamEmptyBatchedRecord);
      assertRefusedWithoutTrace(
          shard,
          () -> withPayload(good, "not compressed at all".getBytes(StandardCharsets.UTF_8)),
          ErrorCode.StreamEmptyBatchedRecord);
    }
  }

  @Test
  void gzip_and_zstd_bombs_are_refused_naming_the_limit() throws IOException {
    Shard shard = newShard();
    // One record of 64 MiB of zeros: a few KiB compressed, 256 times the limit opened.
    byte[] huge =
        BatchHStreamRecords.newBuilder()
            .addRecords(HStreamRecords.raw("k", new byte[64 << 20], Map.of()))
            .build()
            .toByteArray();
    byte[] gzip = gzip(huge);
    byte[] zstd = Zstd.compress(huge, 19);
    assertThat(gzip.length).isLessThan(MAX_PAYLOAD);
    assertThat(zstd.length).isLessThan(MAX_PAYLOAD);
    for (BatchedRecord bomb :
        List.of(bomb(CompressionType.Gzip, gzip), bomb(CompressionType.Zstd, zstd))) {
      JsonNode body =
          assertRefusedWithoutTrace(shard, () -> bomb, ErrorCode.StreamInvalidRecordSize);
      assertThat(body.get("message").asText())
          .contains("max-decompressed-batch-size")
          .contains(Integer.toString(MAX_DECOMPRESSED));
    }
  }

  private static BatchedRecord bomb(CompressionType type, byte[] payload) {
    return BatchedRecord.newBuilder()
        .setCompressionType(type)
        .setBatchSize(1)
        .setPayload(ByteString.copyFrom(payload))
        .build();
  }

  @Test
  void uncompressed_payloads_beyond_max_record_size_are_refused() {
    Shard shard = newShard();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(List.of(HStreamRecords.raw("k", new byte[MAX_PAYLOAD], Map.of()))),
            ErrorCode.StreamInvalidRecordSize);
    assertThat(body.get("message").asText()).contains("max-record-size");
  }

  @Test
  void bytes_that_are_not_a_protobuf_batch_are_refused() {
    Shard shard = newShard();
    BatchedRecord good = batch(rawRecords("k", "x", 1));
    for (String text : List.of("hello, world", "{\"a\":1}", "\u0000\u0001\u0002\u00ff")) {
      assertRefusedWithoutTrace(
          shard,
          () -> withPayload(good, text.getBytes(StandardCharsets.ISO_8859_1)),
          ErrorCode.StreamEmptyBatchedRecord);
    }
    // A valid protobuf message of another shape: field 2 is not BatchHStreamRecords' records.
    assertRefusedWithoutTrace(
        shard,
        () -> withPayload(good, new byte[] {0x12, 0x01, 0x00}),
        ErrorCode.StreamEmptyBatchedRecord);
  }

  @Test
  void json_records_must_carry_a_struct() {
    Shard shard = newShard();
    HStreamRecord notAStruct =
        HStreamRecord.newBuilder()
            .setHeader(HStreamRecordHeader.newBuilder().setFlag(HStreamRecordHeader.Flag.JSON))
            .setPayload(ByteString.copyFromUtf8("{\"temperature\": 21.5}"))
            .build();
    JsonNode body =
        assertRefusedWithoutTrace(
            shard,
            () -> batch(List.of(HStreamRecords.raw("k", new byte[] {1}, Map.of()), notAStruct)),
            ErrorCode.StreamEmptyBatchedRecord);
    assertThat(body.get("message").asText()).contains("record 1").contains("Struct");

    Struct struct =
        Struct.newBuilder().putFields("t", Value.newBuilder().setNumberValue(21.5).build()).build();
    AppendResponse ok =
        client.append(
            shard.stream, shard.id, batch(List.of(HStreamRecords.json("k", struct, Map.of()))));
    assertThat(ok.getRecordIdsCount()).isEqualTo(1);
  }

  @Test
  void unknown_record_flags_are_refused() {
    Shard shard = newShard();
    HStreamRecord odd =
        HStreamRecord.newBuilder()
            .setHeader(HStreamRecordHeader.newBuilder().setFlagValue(9))
            .setPayload(ByteString.copyFromUtf8("x"))
            .build();
    assertRefusedWithoutTrace(shard, () -> batch(List.of(odd)), ErrorCode.StreamEmptyBatchedRecord);
  }

  @Test
  void valid_compressed_batches_are_still_stored_as_received() {
    Shard shard = newShard();
    List<BatchedRecord> sent = new ArrayList<>();
    for (CompressionType type :
        List.of(CompressionType.None, CompressionType.Gzip, CompressionType.Zstd)) {
      BatchedRecord b = RecordBatches.encode(rawRecords("k", type.name(), 50), type);
      sent.add(b);
      assertThat(client.append(shard.stream, shard.id, b).getRecordIdsCount()).isEqualTo(50);
    }
    assertThat(StreamContents.records(client, shard.stream)).hasSize(150);
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }
}
