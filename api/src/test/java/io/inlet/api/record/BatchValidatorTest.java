package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchValidatorTest {
  private static final int MIB = 1 << 20;
  private final BatchValidator validator = new BatchValidator(new BatchLimits(MIB, MIB, 1000));

  private static List<HStreamRecord> raw(int count) {
    List<HStreamRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(HStreamRecords.raw("k", ("r" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    return records;
  }

  private static BatchedRecord withPayload(CompressionType type, int batchSize, byte[] payload) {
    return BatchedRecord.newBuilder()
        .setCompressionType(type)
        .setBatchSize(batchSize)
        .setPayload(ByteString.copyFrom(payload))
        .build();
  }

  private static HStreamRecord json(ByteString payload) {
    return HStreamRecord.newBuilder()
        .setHeader(HStreamRecordHeader.newBuilder().setFlag(HStreamRecordHeader.Flag.JSON))
        .setPayload(payload)
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionType.class,
      names = {"None", "Gzip", "Zstd"})
  void batches_as_clients_build_them_pass(CompressionType type) {
    List<HStreamRecord> records = new ArrayList<>(raw(999));
    records.add(
        HStreamRecords.json("k", HStreamRecords.structFromJson("{\"a\":[1,{\"b\":2}]}"), Map.of()));
    BatchedRecord batch = RecordBatches.encode(records, type);

    validator.validate(batch);
    validator.checkStored(batch);
    assertThat(validator.decode(batch)).isEqualTo(records);
  }

  @Test
  void a_batch_size_that_is_not_the_record_count_is_refused() {
    BatchedRecord one = RecordBatches.encode(raw(1), CompressionType.None);
    BatchedRecord three = RecordBatches.encode(raw(3), CompressionType.Zstd);

    assertThatThrownBy(() -> validator.validate(one.toBuilder().setBatchSize(1000).build()))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessage("batchSize 1000 does not match the payload, which holds 1 record");
    assertThatThrownBy(() -> validator.validate(three.toBuilder().setBatchSize(2).build()))
        .hasMessage("batchSize 2 does not match the payload, which holds more than 2 records");
    assertThatThrownBy(() -> validator.checkStored(one.toBuilder().setBatchSize(-1).build()))
        .hasMessage("batchSize 4294967295 does not match the payload, which holds 1 record");
    assertThatThrownBy(() -> validator.decode(three.toBuilder().setBatchSize(4).build()))
        .hasMessage("batchSize 4 does not match the payload, which holds 3 records");
  }

  @Test
  void the_envelope_is_checked_before_the_payload_is_opened() {
    BatchedRecord one = RecordBatches.encode(raw(1), CompressionType.None);
    assertThatThrownBy(() -> validator.checkEnvelope(one.toBuilder().setBatchSize(-1).build()))
        .isInstanceOfSatisfying(
            InvalidBatchException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.StreamInvalidRecordSize))
        .hasMessage("batchSize 4294967295 is more than max-batch-records (1000)");
    assertThatThrownBy(() -> validator.checkEnvelope(one.toBuilder().setBatchSize(0).build()))
        .hasMessage("batchSize must be at least 1, found: 0");
    assertThatThrownBy(
            () -> validator.checkEnvelope(one.toBuilder().setPayload(ByteString.EMPTY).build()))
        .hasMessage("the batch's payload is empty");
    assertThatThrownBy(
            () ->
                validator.checkEnvelope(
                    one.toBuilder().setPayload(ByteString.copyFrom(new byte[MIB + 1])).build()))
        .hasMessage(
            "the batch's payload is 1048577 bytes, more than max-record-size (1048576 bytes)");
    assertThatThrownBy(
            () -> validator.checkEnvelope(one.toBuilder().setCompressionTypeValue(7).build()))
        .isInstanceOfSatisfying(
            InvalidBatchException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.StreamEmptyBatchedRecord))
        .hasMessage("compressionType 7 is unknown; use None (0), Gzip (1) or Zstd (2)");
  }

  @Test
  void payloads_that_are_not_a_record_list_are_refused() {
    for (byte[] bytes :
        List.of(
            "hello".getBytes(StandardCharsets.UTF_8),
            new byte[] {0x12, 0x01, 0x00},
            new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            new byte[] {0x0a, 0x05, 0x01})) {
      assertThatThrownBy(() -> validator.validate(withPayload(CompressionType.None, 1, bytes)))
          .isInstanceOf(InvalidBatchException.class)
          .hasMessageContaining("not a serialized BatchHStreamRecords");
      assertThatThrownBy(() -> validator.checkStored(withPayload(CompressionType.None, 1, bytes)))
          .isInstanceOf(InvalidBatchException.class);
    }
    // A record list whose record is not an HStreamRecord.
    byte[] notARecord = {0x0a, 0x02, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> validator.validate(withPayload(CompressionType.None, 1, notARecord)))
        .hasMessageContaining("record 0 is not a serialized HStreamRecord");
  }

  @Test
  void json_records_must_carry_a_struct_and_nothing_else() {
    Struct nested =
        Struct.newBuilder()
            .putFields(
                "list",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(
                                Value.newBuilder()
                                    .setStructValue(
                                        Struct.newBuilder()
                                            .putFields(
                                                "x",
                                                Value.newBuilder().setBoolValue(true).build()))))
                    .build())
            .build();
    Struct withUnknown =
        nested.toBuilder()
            .putFields(
                "odd",
                Value.newBuilder()
                    .setUnknownFields(
                        UnknownFieldSet.newBuilder()
                            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                            .build())
                    .build())
            .build();

    validator.validate(
        RecordBatches.encode(List.of(json(nested.toByteString())), CompressionType.None));
    validator.validate(RecordBatches.encode(List.of(json(ByteString.EMPTY)), CompressionType.None));
    for (ByteString bad :
        List.of(
            ByteString.copyFromUtf8("{\"temperature\": 21.5}"),
            ByteString.copyFromUtf8("plain text"),
            withUnknown.toByteString())) {
      assertThatThrownBy(
              () ->
                  validator.validate(
                      RecordBatches.encode(
                          List.of(raw(1).get(0), json(bad)), CompressionType.Gzip)))
          .isInstanceOf(InvalidBatchException.class)
          .hasMessageContaining("record 1 is flagged JSON")
          .hasMessageContaining("google.protobuf.Struct");
    }
  }

  @Test
  void records_with_an_unknown_flag_are_refused() {
    HStreamRecord odd =
        HStreamRecord.newBuilder()
            .setHeader(HStreamRecordHeader.newBuilder().setFlagValue(5))
            .setPayload(ByteString.copyFromUtf8("x"))
            .build();
    assertThatThrownBy(
            () -> validator.validate(RecordBatches.encode(List.of(odd), CompressionType.None)))
        .hasMessage("record 0 has flag 5; use JSON (0) or RAW (1)");
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionType.class,
      names = {"Gzip", "Zstd"})
  void corrupt_and_truncated_payloads_are_refused(CompressionType type) {
    byte[] good = RecordBatches.encode(raw(50), type).getPayload().toByteArray();
    byte[] flipped = good.clone();
    for (int i = good.length / 3; i < good.length / 3 + 4; i++) {
      flipped[i] ^= 0x55;
    }
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
    for (byte[] bad :
        List.of(flipped, truncated, "not compressed".getBytes(StandardCharsets.UTF_8))) {
      assertThatThrownBy(() -> validator.validate(withPayload(type, 50, bad)))
          .isInstanceOf(InvalidBatchException.class)
          .hasMessageContaining(type.name());
    }
  }

  /** 64 MiB of zeros in one record: a few KiB compressed. */
  private static byte[] bombPlain() {
    return BatchHStreamRecords.newBuilder()
        .addRecords(HStreamRecords.raw("k", new byte[64 * MIB], Map.of()))
        .build()
        .toByteArray();
  }

  @Test
  void bombs_fail_at_the_limit_without_allocating_past_it() throws IOException {
    byte[] plain = bombPlain();
    List<BatchedRecord> bombs =
        List.of(
            withPayload(CompressionType.Gzip, 1, gzip(plain)),
            withPayload(CompressionType.Zstd, 1, Zstd.compress(plain, 19)),
            withPayload(CompressionType.Zstd, 1, zstdStream(plain)));
    plain = null;
    for (BatchedRecord bomb : bombs) {
      assertThat(bomb.getPayload().size()).isLessThan(MIB);
      long before = allocatedBytes();
      assertThatThrownBy(() -> validator.validate(bomb))
          .isInstanceOfSatisfying(
              InvalidBatchException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.StreamInvalidRecordSize))
          .hasMessage(
              "the batch's payload opens to more than max-decompressed-batch-size (1048576 bytes)");
      assertThatThrownBy(() -> validator.checkStored(bomb))
          .isInstanceOf(InvalidBatchException.class);
      assertThatThrownBy(() -> validator.decode(bomb)).isInstanceOf(InvalidBatchException.class);
      long allocated = allocatedBytes() - before;
      // Three walks of a 1 MiB bound; opening the bomb whole would take 64 MiB each.
      assertThat(allocated)
          .as("bytes allocated opening %s", bomb.getCompressionType())
          .isLessThan(8L * MIB);
    }
  }

  @Test
  void a_payload_exactly_at_the_limit_opens() throws IOException {
    BatchValidator small = new BatchValidator(new BatchLimits(MIB, 4096, 10));
    byte[] plain = serializedOfSize(4096);
    small.validate(withPayload(CompressionType.Gzip, 1, gzip(plain)));
    small.validate(withPayload(CompressionType.None, 1, plain));
    byte[] more = serializedOfSize(4097);
    assertThatThrownBy(() -> small.validate(withPayload(CompressionType.Gzip, 1, gzip(more))))
        .hasMessageContaining("max-decompressed-batch-size (4096 bytes)");
    assertThatThrownBy(() -> small.validate(withPayload(CompressionType.None, 1, more)))
        .hasMessageContaining("max-decompressed-batch-size (4096 bytes)");
  }

  @Test
  void stored_batches_are_read_under_the_decompression_bound_only() {
    BatchValidator strict = new BatchValidator(new BatchLimits(16, MIB, 2));
    BatchedRecord many = RecordBatches.encode(raw(100), CompressionType.Zstd);
    strict.checkStored(many);
    assertThat(strict.decode(many)).hasSize(100);
  }

  /** A record list of one record whose serialized size is exactly {@code size}. */
  private static byte[] serializedOfSize(int size) {
    for (int n = size; n > 0; n--) {
      byte[] bytes =
          BatchHStreamRecords.newBuilder()
              .addRecords(HStreamRecords.raw("", new byte[n], Map.of()))
              .build()
              .toByteArray();
      if (bytes.length == size) {
        return bytes;
      }
    }
    throw new AssertionError("no record list of " + size + " bytes");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }

  /** A zstd stream without a content size in its header, as streaming compressors write it. */
  private static byte[] zstdStream(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bytes, 3)) {
      for (int i = 0; i < plain.length; i += 65536) {
        out.write(plain, i, Math.min(65536, plain.length - i));
      }
    }
    return bytes.toByteArray();
  }
}
