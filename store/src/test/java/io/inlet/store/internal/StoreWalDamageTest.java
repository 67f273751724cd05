package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.DamagedDataException;
import io.inlet.store.testing.DataFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opening does with a damaged write-ahead log. "Crash" here is a copy of the files of a live
 * store: every acknowledged batch is then in the WAL, as after a kill -9.
 */
class StoreWalDamageTest {
  @TempDir Path dir;

  @Test
  void a_flipped_wal_refuses_to_open_naming_the_file_and_the_repair() throws Exception {
    Path live = dir.resolve("live");
    Path crashed = dir.resolve("crashed");
    try (RocksStreamStore store = TestStores.open(live)) {
      TestStores.oneShardWithBatches(store, 400);
      DataFiles.crashCopy(live, crashed);
    }
    Path wal = DataFiles.largestWal(crashed);
    DataFiles.flip(wal, Files.size(wal) / 2, 32);
    Map<String, Long> before = DataFiles.dataFiles(crashed);

    assertThatThrownBy(() -> TestStores.open(crashed))
        .isInstanceOf(DamagedDataException.class)
        .hasMessageContaining(crashed.toString())
        .hasMessageContaining(wal.getFileName().toString())
        .hasMessageContaining("acknowledged")
        .hasMessageContaining("inlet server repair --data-dir " + crashed);
    // Refusing changed nothing: the repair still has every byte to work from.
    assertThat(DataFiles.dataFiles(crashed)).isEqualTo(before);
  }

  @Test
  void a_torn_last_write_is_dropped_and_its_lsn_is_never_given_again() throws Exception {
    Path live = dir.resolve("live");
    Path beforeLast = dir.resolve("before-last");
    Path crashed = dir.resolve("crashed");
    long shard;
    try (RocksStreamStore store = TestStores.openWithoutPeriodicFloors(live)) {
      shard = TestStores.oneShardWithBatches(store, 50);
      DataFiles.crashCopy(live, beforeLast);
      // The write in flight when the machine lost power: only part of it reached the disk.
      TestStores.await(store.log().append("s", shard, TestStores.batch("torn", 3)));
      DataFiles.crashCopy(live, crashed);
    }
    Path wal = DataFiles.largestWal(crashed);
    long complete = Files.size(beforeLast.resolve(wal.getFileName()));
    DataFiles.truncate(wal, (complete + Files.size(wal)) / 2);

    try (RocksStreamStore store = TestStores.open(crashed)) {
      assertThat(store.log().read(shard, 1, 100)).hasSize(50);
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(50);
      long next = TestStores.await(store.log().append("s", shard, TestStores.batch("x", 1))).lsn();
      assertThat(next).as("the torn write's LSN 51 is never reused").isGreaterThan(51);
    }
  }

  @Test
  void a_wal_cut_into_acknowledged_batches_refuses_to_open() throws Exception {
    Path live = dir.resolve("live");
    Path crashed = dir.resolve("crashed");
    try (RocksStreamStore store = TestStores.open(live)) {
      long shard = TestStores.oneShardWithBatches(store, 400);
      // The store records how far it acknowledged at least once a second.
      TestStores.awaitCondition(
          "the marker to record LSN 400 as acknowledged",
          Duration.ofSeconds(30),
          () -> StoreMarker.readAcked(live, shard) >= 400);
      DataFiles.crashCopy(live, crashed);
    }
    Path wal = DataFiles.largestWal(crashed);
    DataFiles.truncate(wal, Files.size(wal) / 2);

    assertThatThrownBy(() -> TestStores.open(crashed))
        .isInstanceOf(DamagedDataException.class)
        .hasMessageContaining("acknowledged up to LSN 400")
        .hasMessageContaining("inlet server repair --data-dir " + crashed);
  }
}
