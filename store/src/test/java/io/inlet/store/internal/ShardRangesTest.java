package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardRangesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64})
  void shards_cover_the_key_space_exactly_and_survive_a_restart(int shardCount) {
    StreamInfo created;
    try (RocksStreamStore store = TestStores.open(dir)) {
      created = store.streams().create(new StreamSpec("s", shardCount, 1, 0));
      assertCoversKeySpace(created.shards(), shardCount);
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      StreamInfo reloaded = store.streams().get("s").orElseThrow();
      assertThat(reloaded).isEqualTo(created);
      assertCoversKeySpace(reloaded.shards(), shardCount);
      // The extremes of the key space route to the first and the last shard.
      ShardInfo first = reloaded.shards().get(0);
      ShardInfo last = reloaded.shards().get(shardCount - 1);
      assertThat(first.startKey()).isZero();
      assertThat(last.endKey()).isEqualTo(PartitionKeys.MAX_KEY);
    }
  }

  private static void assertCoversKeySpace(List<ShardInfo> shards, int shardCount) {
    assertThat(shards).hasSize(shardCount);
    BigInteger next = BigInteger.ZERO;
    for (ShardInfo shard : shards) {
      assertThat(shard.startKey()).as("no gap or overlap before %s", shard).isEqualTo(next);
      assertThat(shard.endKey()).isGreaterThanOrEqualTo(shard.startKey());
      next = shard.endKey().add(BigInteger.ONE);
    }
    assertThat(next).isEqualTo(PartitionKeys.MAX_KEY.add(BigInteger.ONE));
  }
}
