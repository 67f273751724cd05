package io.inlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.Shard;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.PartitionKeys;
import io.inlet.api.record.RecordBatches;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What HStreamDB clients compute must match what Inlet's CLI computes: key → shard routing and the
 * Struct encoding of JSON records. The oracles are independent of this code base: MD5 digests from
 * {@code printf '%s' KEY | md5sum}, and bytes produced by Python's protobuf (json_format /
 * Struct.update, as the Python hstreamdb client does).
 */
class HStreamCompatibilityTest {

  @ParameterizedTest(name = "md5({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "__default__|3651d5b8eedf11cf5df538b8aa04b49f",
        "sensor-1|ebf13c772710e5bc59e6f266271799d6",
        "device/42|04fbd65b9332172658da8bfae4ad2909",
        "a|0cc175b9c0f1b6a831c399e269772661",
        "温度-7|09a148462be8f9fe27737c32ba963375",
        "user:1001|126bd4e4523136890f57e2bb7e76fec6",
        "c|4a8a08f09d37b73795649038408b5f33",
        "key-2|bcca528ca1b0ba9d641cf4b123f2d026",
      })
  void partition_key_hash_is_the_md5_of_the_utf8_key_as_unsigned_128_bit_integer(
      String key, String md5Hex) {
    assertThat(PartitionKeys.hash(key)).isEqualTo(new BigInteger(md5Hex, 16));
  }

  /** A record without key is routed by md5("") = d41d8cd9..., the last quarter of the space. */
  @Test
  void a_record_without_key_goes_where_the_empty_key_hashes() {
    assertThat(PartitionKeys.hash(""))
        .isEqualTo(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16));
    for (String none : new String[] {null, ""}) {
      assertThat(indexOf(new ShardRouter("s", evenShards(2)).shardFor(none))).isEqualTo(1);
      assertThat(indexOf(new ShardRouter("s", evenShards(4)).shardFor(none))).isEqualTo(3);
    }
  }

  /** With 2 or 4 shards the ranges split on the top bits of the digest: the first hex digit. */
  @ParameterizedTest(name = "{0} → shard {1} of 2, shard {2} of 4")
  @CsvSource({
    "__default__,0,0", // 3...
    "sensor-1,1,3", // e...
    "device/42,0,0", // 0...
    "user:1001,0,0", // 1...
    "c,0,1", // 4...
    "key-3,0,1", // 5...
    "d,1,2", // 8...
    "b,1,2", // 9...
    "key-2,1,2", // b...
  })
  void router_picks_the_shard_whose_range_holds_the_key_hash(
      String key, int indexOfTwo, int indexOfFour) {
    assertThat(indexOf(new ShardRouter("s", evenShards(2)).shardFor(key))).isEqualTo(indexOfTwo);
    assertThat(indexOf(new ShardRouter("s", evenShards(4)).shardFor(key))).isEqualTo(indexOfFour);
  }

  @Test
  void router_covers_the_key_space_edges_and_skips_inactive_shards() {
    List<Shard> shards = new ArrayList<>(evenShards(3));
    ShardRouter router = new ShardRouter("s", shards);
    for (String key : List.of("a", "b", "c", "d", "sensor-1", "__default__")) {
      BigInteger hash = PartitionKeys.hash(key);
      Shard shard = router.shardFor(key);
      assertThat(new BigInteger(shard.getStartHashRangeKey())).isLessThanOrEqualTo(hash);
      assertThat(new BigInteger(shard.getEndHashRangeKey())).isGreaterThanOrEqualTo(hash);
    }
    shards.set(2, shards.get(2).toBuilder().setIsActive(false).build());
    ShardRouter withInactive = new ShardRouter("s", shards);
    // sensor-1 (e...) lives in the last third, whose only shard is inactive.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> withInactive.shardFor("sensor-1"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no active shard");
  }

  /** Struct.update(doc).SerializeToString(deterministic=True) in Python 3 / protobuf 4.21. */
  private static final String PYTHON_STRUCT =
      "0a120a05636f756e7412091100000000000008400a140a06646576696365120a1a0873656e736f722d310a36"
          + "0a066e6573746564122c2a2a0a280a05696e6e6572121f2a1d0a0c0a066c6576656c73120232000a0d0a"
          + "04756e697412051a03c2b0430a0a0a046e6f6e65120208000a080a026f6b120220010a360a0474616773"
          + "122e322c0a031a01610a0911000000000000f03f0a0220000a0208000a122a100a0e0a01781209110000"
          + "00000000d0bf0a110a0474656d701209110000000000803540";

  private static final String DOCUMENT =
      "{\"device\": \"sensor-1\", \"temp\": 21.5, \"count\": 3, \"ok\": true, \"none\": null,"
          + " \"tags\": [\"a\", 1, false, null, {\"x\": -0.25}],"
          + " \"nested\": {\"inner\": {\"unit\": \"°C\", \"levels\": []}}}";

  @Test
  void json_record_struct_matches_what_the_python_client_encodes() throws Exception {
    Struct fromPython = Struct.parseFrom(HexFormat.of().parseHex(PYTHON_STRUCT));
    Struct ours = HStreamRecords.structFromJson(DOCUMENT);

    assertThat(ours).isEqualTo(fromPython);
    assertThat(Struct.parseFrom(ours.toByteString())).isEqualTo(fromPython);
  }

  @Test
  void struct_encoding_keeps_json_types_numbers_become_doubles() throws Exception {
    Struct struct = HStreamRecords.structFromJson(DOCUMENT);
    Map<String, Value> fields = Struct.parseFrom(struct.toByteArray()).getFieldsMap();

    assertThat(fields.get("count")).isEqualTo(Value.newBuilder().setNumberValue(3.0).build());
    assertThat(fields.get("temp").getNumberValue()).isEqualTo(21.5);
    assertThat(fields.get("ok").getBoolValue()).isTrue();
    assertThat(fields.get("none").getNullValue()).isEqualTo(NullValue.NULL_VALUE);
    ListValue tags = fields.get("tags").getListValue();
    assertThat(tags.getValuesList())
        .extracting(Value::getKindCase)
        .containsExactly(
            Value.KindCase.STRING_VALUE,
            Value.KindCase.NUMBER_VALUE,
            Value.KindCase.BOOL_VALUE,
            Value.KindCase.NULL_VALUE,
            Value.KindCase.STRUCT_VALUE);
    Struct inner = fields.get("nested").getStructValue().getFieldsOrThrow("inner").getStructValue();
    assertThat(inner.getFieldsOrThrow("unit").getStringValue()).isEqualTo("°C");
    assertThat(inner.getFieldsOrThrow("levels").getListValue().getValuesCount()).isZero();
  }

  /**
   * A gzip BatchedRecord built in Python: a JSON record (the Struct above, key sensor-1, attribute
   * mqtt.topic=t/1) and a RAW record with non-UTF-8 bytes.
   */
  private static final String PYTHON_GZIP_BATCH =
      "0801180222dd011f8b08000000000002034d4f4b6a024114eceef9d02934641e92c580c46518fca060b60a"
          + "39c9303e6450bb75ba35597a246f20c40be412d97b0363048db52cea8b1f892625c062e57dd7db6559"
          + "50e07bfd543b36ce569d3e1d24085161d7c6d343222ed06334104f7853164cf817e30db161e77942ed"
          + "2cc32ba2d218aee8256ba28678ce1b9e3b5203813ac2b5293d4569f0b57b07101a6b989416d0507646"
          + "aa25cf69a1cfa78eba83368254e6b8f61f47502d813f35654f7884fcbc6dfbde2339fb78b1bc52dbe1"
          + "18cfa86979f72a16b2ca3f4ebf07606b7700010000";

  @Test
  void gzip_batch_from_the_python_client_decodes_to_its_records() throws Exception {
    BatchedRecord batch = BatchedRecord.parseFrom(HexFormat.of().parseHex(PYTHON_GZIP_BATCH));
    assertThat(batch.getCompressionType()).isEqualTo(CompressionType.Gzip);
    assertThat(batch.getBatchSize()).isEqualTo(2);

    List<HStreamRecord> records = RecordBatches.decode(batch);

    assertThat(records).hasSize(2);
    HStreamRecord json = records.get(0);
    assertThat(json.getHeader().getFlag()).isEqualTo(HStreamRecordHeader.Flag.JSON);
    assertThat(json.getHeader().getKey()).isEqualTo("sensor-1");
    assertThat(json.getHeader().getAttributesMap()).containsEntry("mqtt.topic", "t/1");
    assertThat(Struct.parseFrom(json.getPayload()))
        .isEqualTo(HStreamRecords.structFromJson(DOCUMENT));
    HStreamRecord raw = records.get(1);
    assertThat(raw.getHeader().getFlag()).isEqualTo(HStreamRecordHeader.Flag.RAW);
    assertThat(raw.getPayload())
        .isEqualTo(ByteString.copyFrom(new byte[] {0, 1, 'r', 'a', 'w', (byte) 0xff}));
  }

  @Test
  void batches_the_cli_writes_decode_back_for_every_compression() {
    List<HStreamRecord> records =
        List.of(
            HStreamRecords.json("k", HStreamRecords.structFromJson(DOCUMENT), Map.of("a", "b")),
            HStreamRecords.raw("k", new byte[] {1, 2, 3}, Map.of()));
    for (CompressionType compression :
        List.of(CompressionType.None, CompressionType.Gzip, CompressionType.Zstd)) {
      assertThat(RecordBatches.decode(RecordBatches.encode(records, compression)))
          .as("%s", compression)
          .isEqualTo(records);
    }
  }

  /** Shards as the server lays them out: even split, the last one takes the remainder. */
  private static List<Shard> evenShards(int count) {
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      shards.add(
          Shard.newBuilder()
              .setStreamName("s")
              .setShardId(100 + i)
              .setStartHashRangeKey(PartitionKeys.rangeStart(i, count).toString())
              .setEndHashRangeKey(PartitionKeys.rangeEnd(i, count).toString())
              .setIsActive(true)
              .build());
    }
    return shards;
  }

  private static int indexOf(Shard shard) {
    return (int) (shard.getShardId() - 100);
  }
}
