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
}
