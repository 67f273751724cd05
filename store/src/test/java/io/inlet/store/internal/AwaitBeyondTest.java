package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreException;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwaitBeyondTest {
  @TempDir Path dir;

  /** Where the store under test keeps its entries; {@code Segment*Test} runs these on segments. */
  ShardStorage storage() {
    return ShardStorage.ROCKSDB;
  }

  @Test
  void completes_at_once_when_the_shard_is_already_beyond() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      TestStores.await(store.log().append("s", shard, TestStores.batch("a", 1)));

      assertThat(store.log().awaitBeyond(shard, 0)).isCompleted();
    }
  }

  @Test
  void wakes_when_a_batch_beyond_the_lsn_is_durable() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      CompletableFuture<Void> first = store.log().awaitBeyond(shard, 0);
      CompletableFuture<Void> second = store.log().awaitBeyond(shard, 1);
      assertThat(first).isNotDone();

      TestStores.await(store.log().append("s", shard, TestStores.batch("a", 1)));

      TestStores.await(first);
      // The reader woken sees the batch.
      assertThat(store.log().read(shard, 1, 10)).hasSize(1);
      assertThat(second).isNotDone();
      TestStores.await(store.log().append("s", shard, TestStores.batch("b", 1)));
      TestStores.await(second);
    }
  }

  @Test
  void waiters_that_timed_out_do_not_pile_up() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 0; i < 1000; i++) {
        store.log().awaitBeyond(shard, 0).cancel(false);
      }
      CompletableFuture<Void> live = store.log().awaitBeyond(shard, 0);
      assertThat(store.waiting(shard)).isEqualTo(1);

      TestStores.await(store.log().append("s", shard, TestStores.batch("a", 1)));
      TestStores.await(live);
      assertThat(store.waiting(shard)).isZero();

      CompletableFuture<Void> timedOut =
          store.log().awaitBeyond(shard, 5).orTimeout(1, TimeUnit.MILLISECONDS);
      assertThat(TestStores.failure(timedOut)).isInstanceOf(TimeoutException.class);
      store.log().awaitBeyond(shard, 5);
      assertThat(store.waiting(shard)).isEqualTo(1);
    }
  }

  @Test
  void fails_when_the_store_closes_and_after() {
    RocksStreamStore store = TestStores.open(dir, storage());
    long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
    CompletableFuture<Void> waiting = store.log().awaitBeyond(shard, 0);

    store.close();

    assertThat(TestStores.failure(waiting))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("closed");
    assertThat(TestStores.failure(store.log().awaitBeyond(shard, 0)))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void fails_when_the_stream_is_deleted() {
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      CompletableFuture<Void> waiting = store.log().awaitBeyond(shard, 0);

      store.streams().delete("s", false);

      assertThat(TestStores.failure(waiting)).isInstanceOf(StoreException.class);
    }
  }
}
