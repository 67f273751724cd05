package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.record.PartitionKeys;
import io.inlet.cluster.metadata.MetadataFormatException;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacedStreamCodecTest {

  @Test
  void a_stream_with_its_owners_reads_back_as_written() {
    PlacedStream placed = placed("sensors.temp", 3);

    PlacedStream read = PlacedStreamCodec.decode(PlacedStreamCodec.encode(placed));

    assertThat(read).isEqualTo(placed);
    assertThat(read.ownerOf(11)).isEqualTo(2);
    assertThat(read.ownerOf(99)).isEqualTo(-1);
  }

  @Test
  void a_replicated_stream_reads_back_with_each_shards_replicas_in_order() {
    PlacedStream one = placed("meters", 2);
    PlacedStream placed =
        new PlacedStream(one.stream(), List.of(List.of(3, 1, 2), List.of(2, 3, 1)));

    PlacedStream read = PlacedStreamCodec.decode(PlacedStreamCodec.encode(placed));

    assertThat(read).isEqualTo(placed);
    assertThat(read.replicasOf(11)).containsExactly(2, 3, 1);
    assertThat(read.ownerOf(10)).isEqualTo(3);
    assertThat(read.isReplicated(10)).isTrue();
    assertThat(one.isReplicated(10)).isFalse();
  }

  @Test
  void a_replicated_stream_whose_shards_have_one_replica_each_reads_back_replicated() {
    StreamInfo stream = withFactor(placed("meters", 2).stream(), 3);
    PlacedStream alone = new PlacedStream(stream, List.of(List.of(1), List.of(1)));

    byte[] bytes = PlacedStreamCodec.encode(alone);
    PlacedStream read = PlacedStreamCodec.decode(bytes);

    assertThat(alone.isReplicated(10)).isTrue();
    assertThat(bytes[0]).as("format").isEqualTo((byte) 4);
    assertThat(read).isEqualTo(alone);
    assertThat(read.isReplicated(11)).isTrue();
    assertThat(read.isReplicated(99)).isFalse();
    // Once it has several replicas, the format the version before reads says it all.
    PlacedStream grown = read.withReplicaSetChanged(10, List.of(1, 2)).withChangeFinished(10);
    byte[] grownBytes = PlacedStreamCodec.encode(grown);
    assertThat(grownBytes[0]).as("format").isEqualTo((byte) 2);
    assertThat(PlacedStreamCodec.decode(grownBytes)).isEqualTo(grown);
  }

  @Test
  void a_stream_with_replication_factor_1_is_kept_in_its_owners_local_store() {
    PlacedStream placed =
        new PlacedStream(placed("s", 2).stream(), List.of(List.of(1), List.of(2)));

    assertThat(placed.isReplicated(10)).isFalse();
    assertThat(PlacedStreamCodec.decode(PlacedStreamCodec.encode(placed)).isReplicated(10))
        .isFalse();
  }

  @Test
  void a_replica_set_change_under_way_reads_back_with_the_previous_set_until_finished() {
    PlacedStream one = placed("meters", 2);
    PlacedStream placed =
        new PlacedStream(one.stream(), List.of(List.of(3, 1, 2), List.of(2, 3, 1)));

    PlacedStream changed = placed.withReplicaSetChanged(11, List.of(2, 4, 1));
    PlacedStream read = PlacedStreamCodec.decode(PlacedStreamCodec.encode(changed));

    assertThat(read).isEqualTo(changed);
    assertThat(read.replicasOf(11)).containsExactly(2, 4, 1);
    assertThat(read.previousReplicasOf(11)).containsExactly(2, 3, 1);
    assertThat(read.previousReplicasOf(10)).isEmpty();
    assertThat(read.settled()).isFalse();
    PlacedStream finished =
        PlacedStreamCodec.decode(PlacedStreamCodec.encode(read.withChangeFinished(11)));
    assertThat(finished.previousReplicasOf(11)).isEmpty();
    assertThat(finished.replicasOf(11)).containsExactly(2, 4, 1);
    assertThat(finished.settled()).isTrue();
  }

  @Test
  void a_stream_written_in_format_1_reads_as_one_replica_per_shard_its_owner() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeUTF("old");
      out.writeInt(3);
      out.writeInt(600);
      out.writeLong(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
      out.writeInt(1);
      out.writeLong(7);
      for (java.math.BigInteger key :
          List.of(PartitionKeys.rangeStart(0, 1), PartitionKeys.rangeEnd(0, 1))) {
        byte[] k = key.toByteArray();
        out.writeShort(k.length);
        out.write(k);
      }
      out.writeInt(2);
    }

    PlacedStream read = PlacedStreamCodec.decode(bytes.toByteArray());

    assertThat(read.stream().replicationFactor()).isEqualTo(3);
    assertThat(read.replicasOf(7)).containsExactly(2);
    assertThat(read.isReplicated(7)).isFalse();
  }

  @Test
  void shardForKey_routes_into_the_range_that_holds_the_key() {
    PlacedStream placed = placed("s", 4);
    for (String key : List.of("a", "b", "device-17", "")) {
      ShardInfo shard = placed.shardForKey(key);
      assertThat(PartitionKeys.hash(key)).isBetween(shard.startKey(), shard.endKey());
    }
  }

  @Test
  void truncated_or_unknown_bytes_fail_as_a_format_error() {
    byte[] bytes = PlacedStreamCodec.encode(placed("s", 2));

    assertThatThrownBy(() -> PlacedStreamCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("truncated");
    bytes[0] = 9;
    assertThatThrownBy(() -> PlacedStreamCodec.decode(bytes))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("format 9");
  }

  private static StreamInfo withFactor(StreamInfo stream, int replicationFactor) {
    return new StreamInfo(
        stream.name(),
        replicationFactor,
        stream.backlogSeconds(),
        stream.createdAt(),
        stream.shards());
  }

  private static PlacedStream placed(String name, int shardCount) {
    List<ShardInfo> shards = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      shards.add(
          new ShardInfo(
              10 + i,
              name,
              PartitionKeys.rangeStart(i, shardCount),
              PartitionKeys.rangeEnd(i, shardCount)));
      owners.add(i + 1);
    }
    return PlacedStream.withOwners(
        new StreamInfo(name, 1, 3600, Instant.parse("2026-12-03T20:00:00Z"), shards), owners);
  }
}
