package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchesTest {

  private static List<HStreamRecord> records() {
    List<HStreamRecord> records = new ArrayList<>();
    records.add(HStreamRecords.raw("k1", "hello".getBytes(StandardCharsets.UTF_8), Map.of()));
    records.add(
        HStreamRecords.json(
            "k2",
            HStreamRecords.structFromJson("{\"temp\": 21.5, \"room\": \"lab\"}"),
            Map.of("mqtt.topic", "sensors/lab")));
    records.add(HStreamRecords.raw(null, new byte[0], Map.of()));
    // Large and repetitive, so compression actually shrinks it.
    records.add(
        HStreamRecords.raw("k4", "x".repeat(10_000).getBytes(StandardCharsets.UTF_8), Map.of()));
    return records;
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionType.class,
      names = {"None", "Gzip", "Zstd"})
  void encode_then_decode_returns_the_same_records(CompressionType compression) {
    List<HStreamRecord> records = records();

    BatchedRecord batch = RecordBatches.encode(records, compression);

    assertThat(batch.getCompressionType()).isEqualTo(compression);
    assertThat(batch.getBatchSize()).isEqualTo(records.size());
    assertThat(batch.hasPublishTime()).isTrue();
    assertThat(RecordBatches.decode(batch)).isEqualTo(records);
    // A batch survives the wire as well.
    assertThat(RecordBatches.decode(parse(batch.toByteArray()))).isEqualTo(records);
  }

  @Test
  void compressed_payloads_are_smaller_than_plain_ones() {
    int plain = RecordBatches.encode(records(), CompressionType.None).getPayload().size();
    assertThat(RecordBatches.encode(records(), CompressionType.Gzip).getPayload().size())
        .isLessThan(plain);
    assertThat(RecordBatches.encode(records(), CompressionType.Zstd).getPayload().size())
        .isLessThan(plain);
  }

  @Test
  void json_records_round_trip_as_json_text() {
    HStreamRecord record =
        HStreamRecords.json("k", HStreamRecords.structFromJson("{\"a\":1}"), Map.of());
    assertThat(record.getHeader().getFlag()).isEqualTo(HStreamRecordHeader.Flag.JSON);
    assertThat(HStreamRecords.payloadAsText(record)).isEqualTo("{\"a\":1.0}");
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionType.class,
      names = {"Gzip", "Zstd"})
  void a_payload_that_does_not_decompress_is_malformed(CompressionType compression) {
    BatchedRecord batch = batch(compression, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertThatThrownBy(() -> RecordBatches.decode(batch))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessageContaining(compression.name());
  }

  @Test
  void a_truncated_gzip_payload_is_malformed() {
    byte[] gzip = RecordBatches.encode(records(), CompressionType.Gzip).getPayload().toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length / 2);

    assertThatThrownBy(() -> RecordBatches.decode(batch(CompressionType.Gzip, truncated)))
        .isInstanceOf(InvalidBatchException.class);
  }

  @Test
  void a_plain_payload_that_is_not_a_record_list_is_malformed() {
    BatchedRecord batch = batch(CompressionType.None, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});

    assertThatThrownBy(() -> RecordBatches.decode(batch))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessageContaining("BatchHStreamRecords");
  }

  @Test
  void an_unknown_compression_type_is_malformed() {
    BatchedRecord batch =
        BatchedRecord.newBuilder()
            .setCompressionTypeValue(9)
            .setBatchSize(1)
            .setPayload(ByteString.copyFromUtf8("?"))
            .build();

    assertThatThrownBy(() -> RecordBatches.decode(batch))
        .isInstanceOf(InvalidBatchException.class)
        .hasMessageContaining("compressionType 9 is unknown");
  }

  private static BatchedRecord batch(CompressionType compression, byte[] payload) {
    return BatchedRecord.newBuilder()
        .setCompressionType(compression)
        .setBatchSize(1)
        .setPayload(ByteString.copyFrom(payload))
        .build();
  }

  private static BatchedRecord parse(byte[] bytes) {
    try {
      return BatchedRecord.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
