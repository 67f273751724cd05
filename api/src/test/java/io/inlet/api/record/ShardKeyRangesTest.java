package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardKeyRangesTest {

  /** The BigInteger search the catalog made before: the last start key at most the hash. */
  private static int reference(List<BigInteger> starts, String key) {
    BigInteger hash = PartitionKeys.hash(key);
    int found = 0;
    for (int i = 0; i < starts.size(); i++) {
      if (starts.get(i).compareTo(hash) <= 0) {
        found = i;
      }
    }
    return found;
  }

  private static List<BigInteger> evenStarts(int shardCount) {
    return IntStream.range(0, shardCount)
        .mapToObj(i -> PartitionKeys.rangeStart(i, shardCount))
        .toList();
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      keys.add("device-" + i);
    }
    keys.add("");
    keys.add("héllo");
    keys.add("日本語のキー");
    keys.add(PartitionKeys.DEFAULT_KEY);
    return keys;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16, 100, 1024})
  void routes_every_key_as_the_biginteger_search_does(int shardCount) {
    List<BigInteger> starts = evenStarts(shardCount);
    ShardKeyRanges ranges = new ShardKeyRanges(starts);
    for (String key : keys()) {
      assertThat(ranges.indexOf(key)).as(key).isEqualTo(reference(starts, key));
    }
  }

  @Test
  void compares_all_128_bits_unsigned() {
    // "device-42" hashes to 0xa7d3d8dde1a94258da084d4cb74a9f3c: top bit set, so a signed compare
    // of the high half would put it below every start; starts that share its high half must be
    // told apart by the low half, unsigned too.
    BigInteger hash = PartitionKeys.hash("device-42");
    List<BigInteger> starts =
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE.shiftLeft(127),
            hash.subtract(BigInteger.ONE),
            hash,
            hash.add(BigInteger.ONE),
            PartitionKeys.MAX_KEY);
    ShardKeyRanges ranges = new ShardKeyRanges(starts);
    assertThat(ranges.indexOf("device-42")).isEqualTo(3);
    assertThat(ranges.indexOf(null)).isEqualTo(reference(starts, ""));
    for (String key : keys()) {
      assertThat(ranges.indexOf(key)).as(key).isEqualTo(reference(starts, key));
    }
  }

  @Test
  void rejects_keys_outside_the_128_bit_space() {
    assertThatThrownBy(() -> new ShardKeyRanges(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardKeyRanges(List.of(BigInteger.ONE.shiftLeft(128))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardKeyRanges(List.of(BigInteger.ONE.negate())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
