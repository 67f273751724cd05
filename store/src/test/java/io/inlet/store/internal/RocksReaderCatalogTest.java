package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.ReaderInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StoreException.Reason;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksReaderCatalogTest {
  @TempDir Path dir;

  private static Reason code(Throwable e) {
    return ((StoreException) e).reason();
  }

  @Test
  void readers_are_created_listed_deleted_and_survive_a_restart() {
    long shard;
    ReaderInfo created;
    try (RocksStreamStore store = TestStores.open(dir)) {
      shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      Instant at = Instant.parse("2026-11-05T10:15:30.123456Z");
      created = store.readers().create(new ReaderInfo("r1", "s", shard, 7, 500, at));
      store.readers().create(new ReaderInfo("r2", "s", shard, 1, 100, null));

      assertThat(created.createdAt()).isEqualTo(Instant.parse("2026-11-05T10:15:30.123Z"));
      assertThat(store.readers().get("r1")).contains(created);
      assertThat(store.readers().list())
          .extracting(ReaderInfo::readerId)
          .containsExactly("r1", "r2");
      assertThat(store.readers().delete("r2")).isTrue();
      assertThat(store.readers().delete("r2")).isFalse();
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(store.readers().list()).containsExactly(created);
    }
  }

  @Test
  void a_saved_position_survives_a_restart_and_is_not_written_for_a_deleted_reader() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      ReaderInfo created =
          store.readers().create(new ReaderInfo("r", "s", shard, 3, 100, null, 3, 2));
      assertThat(created.nextLsn()).isEqualTo(3);
      assertThat(created.nextIndex()).isEqualTo(2);
      assertThat(store.readers().savePosition("r", 9, 0)).isTrue();
      store.readers().create(new ReaderInfo("gone", "s", shard, 1, 100, null));
      store.readers().delete("gone");
      assertThat(store.readers().savePosition("gone", 5, 0)).isFalse();
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      ReaderInfo r = store.readers().get("r").orElseThrow();
      assertThat(r.startLsn()).isEqualTo(3);
      assertThat(r.nextLsn()).isEqualTo(9);
      assertThat(r.nextIndex()).isZero();
      assertThat(store.readers().get("gone")).isEmpty();
    }
  }

  @Test
  void create_is_validated() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      store.streams().create(new StreamSpec("t", 1, 1, 0));
      store.readers().create(new ReaderInfo("r", "s", shard, 1, 100, null));

      assertThatThrownBy(() -> store.readers().create(new ReaderInfo("r", "s", shard, 1, 1, null)))
          .hasMessageContaining("already exists")
          .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.READER_EXISTS));
      assertThatThrownBy(
              () -> store.readers().create(new ReaderInfo("bad id", "s", shard, 1, 1, null)))
          .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.INVALID_READER_ID));
      assertThatThrownBy(
              () -> store.readers().create(new ReaderInfo("r9", "missing", shard, 1, 1, null)))
          .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.STREAM_NOT_FOUND));
      assertThatThrownBy(() -> store.readers().create(new ReaderInfo("r9", "t", shard, 1, 1, null)))
          .hasMessageContaining("shard " + shard)
          .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.SHARD_NOT_IN_STREAM));
    }
  }
}
