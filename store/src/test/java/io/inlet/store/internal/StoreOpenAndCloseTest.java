package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.StreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOpenAndCloseTest {
  @TempDir Path dir;

  @Test
  void open_creates_missing_directories() {
    Path nested = dir.resolve("a/b/data");
    try (RocksStreamStore store = TestStores.open(nested)) {
      assertThat(store.streams().list("")).isEmpty();
    }
    assertThat(nested.resolve("CURRENT")).exists();
  }

  @Test
  void a_data_dir_under_a_regular_file_is_a_clear_error() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path dataDir = file.resolve("data");

    assertThatThrownBy(() -> TestStores.open(dataDir))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(dataDir.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void a_data_dir_that_is_a_file_is_a_clear_error() throws Exception {
    Path file = Files.writeString(dir.resolve("data"), "x");

    assertThatThrownBy(() -> TestStores.open(file))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void a_data_dir_in_use_is_reported_as_locked() {
    try (RocksStreamStore first = TestStores.open(dir)) {
      assertThatThrownBy(() -> TestStores.open(dir))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("locked by another Inlet process");
      // The first store is unharmed.
      first.streams().create(new StreamSpec("s", 1, 1, 0));
    }
  }

  @Test
  void close_is_idempotent_and_later_calls_fail_cleanly() {
    RocksStreamStore store = TestStores.open(dir);
    long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();

    store.close();
    store.close();

    assertThat(TestStores.failure(store.log().append("s", shard, TestStores.batch("a", 1))))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("store is closing");
    assertThatThrownBy(() -> store.log().read(shard, 1, 1))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.streams().create(new StreamSpec("t", 1, 1, 0)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.subscriptions().list(""))
        .isInstanceOf(StoreUnavailableException.class);
    // The directory is free again.
    TestStores.open(dir).close();
  }

  @Test
  void close_completes_appends_already_queued() {
    List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
    long shard;
    try (RocksStreamStore store = TestStores.open(dir)) {
      shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 0; i < 200; i++) {
        inFlight.add(store.log().append("s", shard, TestStores.batch("a" + i, 1)));
      }
    }
    // Every append either completed durably or failed as "closing"; none hangs.
    long acked = 0;
    for (CompletableFuture<AppendResult> future : inFlight) {
      assertThat(future).isDone();
      if (!future.isCompletedExceptionally()) {
        acked++;
      }
    }
    assertThat(acked).isEqualTo(200);
    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(200);
    }
  }

  @Test
  void appends_racing_with_close_all_complete_and_acked_ones_survive() throws Exception {
    RocksStreamStore store = TestStores.open(dir);
    long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
    List<CompletableFuture<AppendResult>> futures =
        java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      Thread appender =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  futures.add(
                      store.log().append("s", shard, TestStores.batch(thread + "-" + i, 1)));
                }
              });
      appender.start();
      appenders.add(appender);
    }
    TestStores.awaitCondition(
        "some appends to be acknowledged",
        java.time.Duration.ofSeconds(10),
        () -> store.log().position(shard).lastLsn() > 100);

    store.close();
    stop.set(true);
    for (Thread appender : appenders) {
      appender.join();
    }

    long acked = 0;
    for (CompletableFuture<AppendResult> future : futures) {
      try {
        future.get(30, java.util.concurrent.TimeUnit.SECONDS);
        acked++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(StoreUnavailableException.class);
      }
    }
    try (RocksStreamStore reopened = TestStores.open(dir)) {
      assertThat(reopened.log().position(shard).lastLsn()).isEqualTo(acked);
    }
  }

  @Test
  void unsafe_skip_fsync_still_stores_and_reads_batches() {
    try (RocksStreamStore store =
        RocksStreamStore.open(
            new io.inlet.store.StoreOptions(dir, java.time.Duration.ofMinutes(1), true))) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 1; i <= 3; i++) {
        assertThat(TestStores.await(store.log().append("s", shard, TestStores.batch("a", 1))).lsn())
            .isEqualTo(i);
      }
      assertThat(store.log().read(shard, 1, 10)).hasSize(3);
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(store.streams().get("s")).isPresent();
    }
  }

  @Test
  void a_store_written_by_a_newer_format_is_refused() {
    TestStores.open(dir).close();
    try (StoreDatabase database = StoreDatabase.open(dir, false, StoreDatabase.Mode.OPEN)) {
      new MetaStore(database)
          .put(MetaKeys.named(MetaKeys.FORMAT, "format"), Bytes.ofLong(99), "test");
    }

    assertThatThrownBy(() -> TestStores.open(dir))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("format 99");
    // The refusal released the directory.
    try (StoreDatabase database = StoreDatabase.open(dir, false, StoreDatabase.Mode.OPEN)) {
      assertThat(database.dir()).isEqualTo(dir.toAbsolutePath().normalize());
    }
  }
}
