package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.ShardPosition;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogOptions;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to {@code shard-storage: segments}: files, deletion, crashes, the choice. */
class SegmentShardLogTest {
  @TempDir Path dir;

  private static RocksStreamStore open(Path dataDir) {
    return TestStores.open(dataDir, ShardStorage.SEGMENTS);
  }

  private static long oneShard(RocksStreamStore store, String name) {
    return store.streams().create(new StreamSpec(name, 1, 1, 0)).shards().get(0).shardId();
  }

  private Path shardDir(Path dataDir, long shard) {
    return dataDir.resolve("segments").resolve("shard-" + Long.toUnsignedString(shard));
  }

  @Test
  void entries_go_to_the_shards_segment_files() throws IOException {
    try (RocksStreamStore store = open(dir)) {
      long shard = oneShard(store, "s");
      for (int i = 0; i < 5; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 2)));
      }
      try (Stream<Path> files = Files.list(shardDir(dir, shard))) {
        assertThat(files.map(p -> p.getFileName().toString())).contains("00000000000000000001.log");
      }
      assertThat(store.log().position(shard)).isEqualTo(new ShardPosition(1, 5));
    }
  }

  @Test
  void deleting_a_stream_deletes_its_segments() {
    try (RocksStreamStore store = open(dir)) {
      StreamInfo stream = store.streams().create(new StreamSpec("s", 2, 1, 0));
      for (var shard : stream.shards()) {
        TestStores.await(store.log().append("s", shard.shardId(), TestStores.batch("x", 1)));
      }
      assertThat(Files.isDirectory(shardDir(dir, stream.shards().get(0).shardId()))).isTrue();

      assertThat(store.streams().delete("s", false)).isTrue();

      for (var shard : stream.shards()) {
        assertThat(shardDir(dir, shard.shardId())).doesNotExist();
      }
      long again = oneShard(store, "s");
      assertThat(TestStores.await(store.log().append("s", again, TestStores.batch("y", 1))).lsn())
          .isEqualTo(1);
    }
  }

  @Test
  void segments_of_shards_no_stream_holds_are_deleted_at_open() {
    long kept;
    try (RocksStreamStore store = open(dir)) {
      kept = oneShard(store, "s");
      TestStores.await(store.log().append("s", kept, TestStores.batch("k", 1)));
    }
    // What a crash between a stream's deletion and its files' leaves behind.
    try (SegmentLog segments =
        SegmentLog.open(dir.resolve("segments"), SegmentLogOptions.DEFAULTS)) {
      TestStores.await(segments.append(999, new SegmentEntry(new byte[] {1}, 1, 0, 1)));
    }
    assertThat(shardDir(dir, 999)).exists();

    try (RocksStreamStore store = open(dir)) {
      assertThat(shardDir(dir, 999)).doesNotExist();
      assertThat(store.log().position(kept)).isEqualTo(new ShardPosition(1, 1));
    }
  }

  @Test
  void a_crash_keeps_every_acknowledged_entry_and_cuts_a_torn_tail() throws IOException {
    Path copy = dir.resolve("after-crash");
    Path live = dir.resolve("live");
    long shard;
    List<StoredEntry> acknowledged;
    try (RocksStreamStore store = open(live)) {
      shard = oneShard(store, "s");
      for (int i = 0; i < 20; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 3)));
      }
      store.log().trimBefore(shard, 3);
      acknowledged = store.log().read(shard, 1, 100);
      crashCopy(live, copy); // what kill -9 leaves: no clean-shutdown marker, no flush
    }
    // An entry being written when the power went: half a header at the end of the segment.
    try (FileChannel active =
        FileChannel.open(
            shardDir(copy, shard).resolve("00000000000000000001.log"), StandardOpenOption.APPEND)) {
      active.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2, 3}));
    }

    try (RocksStreamStore store = open(copy)) {
      assertThat(store.log().position(shard)).isEqualTo(new ShardPosition(3, 20));
      assertThat(store.log().read(shard, 1, 100)).isEqualTo(acknowledged);
      assertThat(TestStores.await(store.log().append("s", shard, TestStores.batch("n", 1))).lsn())
          .isEqualTo(21);
    }
  }

  @Test
  void a_store_keeps_the_storage_it_was_created_with() {
    Path segmentsStore = dir.resolve("segments-store");
    Path rocksStore = dir.resolve("rocks-store");
    try (RocksStreamStore store = open(segmentsStore)) {
      oneShard(store, "s");
    }
    try (RocksStreamStore store = TestStores.open(rocksStore, ShardStorage.ROCKSDB)) {
      oneShard(store, "s");
    }

    assertThatThrownBy(() -> TestStores.open(segmentsStore, ShardStorage.ROCKSDB))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("keeps its shards' entries in segments")
        .hasMessageContaining("shard-storage");
    assertThatThrownBy(() -> open(rocksStore))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("keeps its shards' entries in rocksdb");
    open(segmentsStore).close();
  }

  @Test
  void a_store_opened_without_a_choice_keeps_what_it_holds_and_a_new_one_gets_segments() {
    Path rocksStore = dir.resolve("rocks-store");
    try (RocksStreamStore store = TestStores.open(rocksStore, ShardStorage.ROCKSDB)) {
      oneShard(store, "s");
    }
    try (RocksStreamStore store = TestStores.open(rocksStore, (ShardStorage) null)) {
      assertThat(store.log()).isInstanceOf(RocksShardLog.class);
      assertThat(store.streams().get("s")).isPresent();
    }

    Path newStore = dir.resolve("new-store");
    try (RocksStreamStore store = TestStores.open(newStore, (ShardStorage) null)) {
      assertThat(store.log()).isInstanceOf(SegmentShardLog.class);
      oneShard(store, "s");
    }
    assertThat(newStore.resolve(ShardStorageChoice.SEGMENTS_DIR)).isDirectory();
    assertThatThrownBy(() -> TestStores.open(newStore, ShardStorage.ROCKSDB))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("or leave it unset");
  }

  @Test
  void lsnAtOrAfter_and_retention_use_the_append_times_of_the_entries() {
    try (RocksStreamStore store =
        TestStores.open(dir, Duration.ofMillis(50), ShardStorage.SEGMENTS)) {
      long shard = oneShard(store, "s");
      long expiring =
          store.streams().create(new StreamSpec("short", 1, 1, 1)).shards().get(0).shardId();
      for (int i = 0; i < 50; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 1)));
        TestStores.await(store.log().append("short", expiring, TestStores.batch("e" + i, 1)));
      }
      List<StoredEntry> all = store.log().read(shard, 1, 100);
      for (StoredEntry entry : all) {
        long found = store.log().lsnAtOrAfter(shard, entry.appendTimeMs());
        assertThat(all.get((int) found - 1).appendTimeMs()).isEqualTo(entry.appendTimeMs());
        assertThat(found).isLessThanOrEqualTo(entry.lsn());
      }
      assertThat(store.log().lsnAtOrAfter(shard, Long.MAX_VALUE)).isEqualTo(51);

      TestStores.awaitCondition(
          "retention to trim the 1 s backlog",
          Duration.ofSeconds(20),
          () -> store.log().position(expiring).firstLsn() == 51);
      assertThat(store.log().read(expiring, 1, 100)).isEmpty();
      assertThat(store.log().position(shard)).isEqualTo(new ShardPosition(1, 50));
    }
  }

  @Test
  void disk_usage_is_the_size_of_the_streams_files() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RocksStreamStore store =
        RocksStreamStore.open(
            new StoreOptions(dir, Duration.ofMinutes(1), false, registry)
                .withShardStorage(ShardStorage.SEGMENTS))) {
      long shard = oneShard(store, "disk");
      TestStores.await(store.log().append("disk", shard, TestStores.batch("d", 100)));
      double bytes = registry.find(StoreMetrics.STREAM_DISK).tag("stream", "disk").gauge().value();
      assertThat(bytes).isGreaterThanOrEqualTo(100 * 20 + 48);
      assertThat(registry.find(StoreMetrics.APPEND_BATCHES).tag("stream", "disk").counter().count())
          .isEqualTo(1);
    }
  }

  @Test
  void its_segment_log_keeps_as_many_sealed_files_open_as_the_store_options_say() {
    try (RocksStreamStore store =
        RocksStreamStore.open(
            StoreOptions.defaults(dir)
                .withShardStorage(ShardStorage.SEGMENTS)
                .withOpenSealedSegments(3))) {
      assertThat(store.segmentLog().options().openSealedSegments()).isEqualTo(3);
    }
    assertThatThrownBy(() -> StoreOptions.defaults(dir).withOpenSealedSegments(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store openSealedSegments must be >= 0, found: -1");
  }

  @Test
  void its_group_commits_go_to_the_store_meters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RocksStreamStore store =
        RocksStreamStore.open(
            new StoreOptions(dir, Duration.ofMinutes(1), false, registry)
                .withShardStorage(ShardStorage.SEGMENTS))) {
      long shard = oneShard(store, "metered");
      for (int i = 0; i < 10; i++) {
        TestStores.await(store.log().append("metered", shard, TestStores.batch("m" + i, 1)));
      }
      DistributionSummary batches = registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary();
      assertThat(batches.totalAmount()).as("appends made durable").isEqualTo(10);
      assertThat(registry.find(StoreMetrics.GROUP_COMMIT_SYNC).timer().count())
          .isEqualTo(batches.count())
          .isPositive();
      assertThat(registry.find(StoreMetrics.GROUP_COMMIT_BYTES).summary().totalAmount())
          .isEqualTo(10 * 20);
    }
  }

  /** Every file of a live store, directories included. */
  private static void crashCopy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
