package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader.Flag;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleRecordBatchTest {

  /** What protobuf writes for the same batch, map entries in deterministic (name) order. */
  private static byte[] protobufBytes(HStreamRecord record) throws IOException {
    BatchHStreamRecords batch = BatchHStreamRecords.newBuilder().addRecords(record).build();
    byte[] bytes = new byte[batch.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    batch.writeTo(out);
    out.checkNoSpaceLeft();
    return bytes;
  }

  private static RecordAttributes attributes(Map<String, String> map) {
    RecordAttributes attributes = new RecordAttributes(2);
    map.forEach(attributes::putIfAbsent);
    return attributes;
  }

  private static void assertSameAsProtobuf(
      Flag flag, String key, Map<String, String> map, ByteString payload) throws IOException {
    HStreamRecord expected =
        flag == Flag.RAW
            ? HStreamRecords.raw(key, payload, map)
            : HStreamRecords.json(key, Struct.parseFrom(payload), map);
    BatchedRecord batch = SingleRecordBatch.encode(flag, key, attributes(map), payload);
    assertThat(batch.getPayload().toByteArray()).isEqualTo(protobufBytes(expected));
    assertThat(batch.getBatchSize()).isEqualTo(1);
    assertThat(batch.getCompressionType()).isEqualTo(CompressionType.None);
    assertThat(batch.getPublishTime().getSeconds()).isPositive();
    assertThat(RecordBatches.decode(batch)).containsExactly(expected);
  }

  private static Map<String, String> mqttLike() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("mqtt.topic", "bench/7/temp");
    map.put("mqtt.qos", "1");
    map.put("mqtt.retain", "false");
    map.put("mqtt.clientId", "bench-7");
    map.put("mqtt.user.Unit", "°C");
    map.put("mqtt.user.unit", "");
    map.put("mqtt.user.tag[2]", "b");
    map.put("mqtt.user.tag", "a");
    return map;
  }

  @Test
  void a_raw_record_is_written_byte_for_byte_as_protobuf_writes_it() throws IOException {
    byte[] payload = new byte[256];
    Arrays.fill(payload, (byte) 0xA5);
    assertSameAsProtobuf(Flag.RAW, "bench-7", mqttLike(), ByteString.copyFrom(payload));
  }

  @Test
  void defaults_are_left_out_as_protobuf_leaves_them_out() throws IOException {
    assertSameAsProtobuf(Flag.RAW, "", Map.of(), ByteString.EMPTY);
    assertSameAsProtobuf(Flag.RAW, null, Map.of(), ByteString.copyFromUtf8("x"));
    assertSameAsProtobuf(Flag.RAW, "k", Map.of("a", "b"), ByteString.EMPTY);
  }

  @Test
  void a_json_record_has_the_default_flag_and_its_struct_as_payload() throws IOException {
    Struct struct =
        Struct.newBuilder().putFields("t", Value.newBuilder().setNumberValue(21.5).build()).build();
    assertSameAsProtobuf(Flag.JSON, "dev-4", mqttLike(), struct.toByteString());
  }

  @Test
  void lengths_of_two_and_three_varint_bytes_are_sized_right() throws IOException {
    String longValue = "v".repeat(300);
    Map<String, String> map = new LinkedHashMap<>(mqttLike());
    map.put("mqtt.user.long", longValue);
    map.put("日本語", "値");
    assertSameAsProtobuf(Flag.RAW, "k".repeat(200), map, ByteString.copyFrom(new byte[20_000]));
  }

  @Test
  void the_payload_bytes_are_shared_not_copied() {
    byte[] payload = new byte[4096];
    BatchedRecord batch =
        SingleRecordBatch.encode(
            Flag.RAW, "k", attributes(Map.of("a", "b")), UnsafeByteOperations.unsafeWrap(payload));
    // shown by changing the array afterwards (which callers must not do): the batch sees it
    payload[payload.length - 1] = 42;
    ByteString stored = batch.getPayload();
    assertThat(stored.byteAt(stored.size() - 1)).isEqualTo((byte) 42);
  }
}
