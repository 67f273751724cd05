package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionKeysTest {

  // Digests computed independently with `printf '<key>' | md5sum`.
  private static BigInteger hex(String digest) {
    return new BigInteger(digest, 16);
  }

  @Test
  void hash_is_the_md5_of_the_utf8_key_as_an_unsigned_integer() {
    assertThat(PartitionKeys.hash("__default__"))
        .isEqualTo(hex("3651d5b8eedf11cf5df538b8aa04b49f"));
    assertThat(PartitionKeys.hash("device-42")).isEqualTo(hex("a7d3d8dde1a94258da084d4cb74a9f3c"));
    assertThat(PartitionKeys.hash("héllo")).isEqualTo(hex("be50e8478cf24ff3595bc7307fb91b50"));
  }

  @Test
  void digests_with_the_top_bit_set_stay_positive() {
    // 0xa7... and 0xbe... have the top bit set: read signed they would be negative.
    assertThat(PartitionKeys.hash("device-42").signum()).isPositive();
    assertThat(PartitionKeys.hash("device-42")).isLessThanOrEqualTo(PartitionKeys.MAX_KEY);
  }

  @Test
  void a_missing_key_hashes_like_the_empty_key_as_hstreamdb_clients_do() {
    BigInteger empty = hex("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(PartitionKeys.hash("")).isEqualTo(empty);
    assertThat(PartitionKeys.hash(null)).isEqualTo(empty);
  }

  @Test
  void max_key_is_2_pow_128_minus_1() {
    assertThat(PartitionKeys.MAX_KEY).isEqualTo(hex("ffffffffffffffffffffffffffffffff"));
  }

  @Test
  void two_shards_split_where_hstreamdb_splits() {
    // floor((2^128 - 1) / 2) keys per shard, the last one taking the remainder.
    BigInteger span = new BigInteger("170141183460469231731687303715884105727");
    assertThat(PartitionKeys.rangeStart(0, 2)).isZero();
    assertThat(PartitionKeys.rangeEnd(0, 2)).isEqualTo(span.subtract(BigInteger.ONE));
    assertThat(PartitionKeys.rangeStart(1, 2)).isEqualTo(span);
    assertThat(PartitionKeys.rangeEnd(1, 2)).isEqualTo(PartitionKeys.MAX_KEY);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 1024})
  void ranges_cover_the_key_space_without_gap_or_overlap(int shardCount) {
    assertThat(PartitionKeys.rangeStart(0, shardCount)).isZero();
    for (int i = 0; i < shardCount; i++) {
      BigInteger start = PartitionKeys.rangeStart(i, shardCount);
      BigInteger end = PartitionKeys.rangeEnd(i, shardCount);
      assertThat(end).isGreaterThanOrEqualTo(start);
      if (i > 0) {
        assertThat(start).isEqualTo(PartitionKeys.rangeEnd(i - 1, shardCount).add(BigInteger.ONE));
      }
    }
    assertThat(PartitionKeys.rangeEnd(shardCount - 1, shardCount)).isEqualTo(PartitionKeys.MAX_KEY);
  }

  @Test
  void shards_are_even_to_within_the_remainder() {
    BigInteger first = PartitionKeys.rangeEnd(0, 7).subtract(PartitionKeys.rangeStart(0, 7));
    BigInteger last = PartitionKeys.rangeEnd(6, 7).subtract(PartitionKeys.rangeStart(6, 7));
    assertThat(last.subtract(first)).isBetween(BigInteger.ZERO, BigInteger.valueOf(7));
  }

  @Test
  void shard_count_below_one_is_refused() {
    assertThatThrownBy(() -> PartitionKeys.rangeStart(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
