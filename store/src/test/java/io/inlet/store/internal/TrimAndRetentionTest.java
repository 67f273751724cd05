package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.ShardPosition;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrimAndRetentionTest {
  @TempDir Path dir;

  /** Where the store under test keeps its entries; {@code Segment*Test} runs these on segments. */
  ShardStorage storage() {
    return ShardStorage.ROCKSDB;
  }

  @Test
  void trimBefore_deletes_older_batches_and_keeps_the_rest() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 1; i <= 6; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 1)));
      }

      store.log().trimBefore(shard, 4);

      assertThat(store.log().position(shard)).isEqualTo(new ShardPosition(4, 6));
      assertThat(store.log().read(shard, 1, 10))
          .extracting(StoredEntry::lsn)
          .containsExactly(4L, 5L, 6L);
      // Trimming backwards changes nothing.
      store.log().trimBefore(shard, 2);
      assertThat(store.log().position(shard).firstLsn()).isEqualTo(4);
    }
  }

  @Test
  void trimming_beyond_the_end_empties_the_shard_and_lsns_continue() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 1; i <= 3; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 1)));
      }

      store.log().trimBefore(shard, Long.MAX_VALUE);

      ShardPosition position = store.log().position(shard);
      assertThat(position).isEqualTo(new ShardPosition(4, 3));
      assertThat(position.isEmpty()).isTrue();
      assertThat(store.log().read(shard, 1, 10)).isEmpty();
      assertThat(TestStores.await(store.log().append("s", shard, TestStores.batch("b4", 1))).lsn())
          .isEqualTo(4);
      assertThat(store.log().read(shard, 1, 10)).extracting(StoredEntry::lsn).containsExactly(4L);
    }
  }

  @Test
  void retention_deletes_batches_older_than_the_backlog() {
    try (RocksStreamStore store = TestStores.open(dir, Duration.ofMillis(50), storage())) {
      long expiring =
          store.streams().create(new StreamSpec("short", 2, 1, 1)).shards().get(0).shardId();
      long kept =
          store.streams().create(new StreamSpec("forever", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 1; i <= 3; i++) {
        TestStores.await(store.log().append("short", expiring, TestStores.batch("s" + i, 1)));
        TestStores.await(store.log().append("forever", kept, TestStores.batch("f" + i, 1)));
      }

      TestStores.awaitCondition(
          "retention to trim the 1 s backlog",
          Duration.ofSeconds(20),
          () -> store.log().position(expiring).firstLsn() == 4);

      assertThat(store.log().read(expiring, 1, 10)).isEmpty();
      assertThat(store.log().position(kept)).isEqualTo(new ShardPosition(1, 3));
      assertThat(store.log().read(kept, 1, 10)).hasSize(3);
      // LSNs go on after an expiry, and the next batch expires in its turn.
      assertThat(
              TestStores.await(store.log().append("short", expiring, TestStores.batch("s4", 1)))
                  .lsn())
          .isEqualTo(4);
      TestStores.awaitCondition(
          "retention to trim the newer batch",
          Duration.ofSeconds(20),
          () -> store.log().position(expiring).firstLsn() == 5);
    }
  }
}
