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
    return new PlacedStream(
        new StreamInfo(name, 1, 3600, Instant.parse("2026-12-03T20:00:00Z"), shards), owners);
  }
}
