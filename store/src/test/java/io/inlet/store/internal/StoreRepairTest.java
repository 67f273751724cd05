package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.DamagedDataException;
import io.inlet.store.StoreRepair;
import io.inlet.store.StoreRepair.Outcome;
import io.inlet.store.StoredEntry;
import io.inlet.store.testing.DataFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;

/** The offline repair, for each kind of damage the store refuses to open with. */
class StoreRepairTest {
  private static final int BATCHES = 400;

  @TempDir Path dir;
  private final List<String> report = new ArrayList<>();

  private Outcome repair(Path data, boolean dryRun, boolean acceptLoss) {
    report.clear();
    return StoreRepair.run(data, dryRun, acceptLoss, report::add);
  }

  /** A store with one shard of {@link #BATCHES} batches, copied as a kill -9 would leave it. */
  private long crashedStore(Path live, Path crashed, boolean flushed) throws Exception {
    try (RocksStreamStore store =
        RocksStreamStore.open(io.inlet.store.StoreOptions.defaults(live))) {
      long shard = TestStores.oneShardWithBatches(store, BATCHES);
      if (flushed) {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
          store.database().db().flush(flush, store.database().data());
        }
      }
      TestStores.awaitCondition(
          "the marker to record every batch as acknowledged",
          Duration.ofSeconds(30),
          () -> StoreMarker.readAcked(live, shard) >= BATCHES);
      DataFiles.crashCopy(live, crashed);
      return shard;
    }
  }

  @Test
  void a_healthy_store_needs_nothing_and_nothing_changes() throws Exception {
    Path data = dir.resolve("data");
    crashedStore(dir.resolve("live"), data, false);
    List<String> before = DataFiles.names(data);

    assertThat(repair(data, false, false)).isEqualTo(Outcome.HEALTHY);
    assertThat(DataFiles.names(data)).isEqualTo(before);
  }

  @Test
  void a_missing_CURRENT_is_written_again_and_every_batch_is_back() throws Exception {
    Path data = dir.resolve("data");
    long shard = crashedStore(dir.resolve("live"), data, false);
    Files.delete(data.resolve("CURRENT"));

    assertThat(repair(data, true, false)).isEqualTo(Outcome.REPAIRED);
    assertThat(data.resolve("CURRENT")).doesNotExist();
    assertThat(repair(data, false, false)).isEqualTo(Outcome.REPAIRED);

    try (RocksStreamStore store = TestStores.open(data)) {
      assertThat(store.log().read(shard, 1, 1000)).hasSize(BATCHES);
    }
  }

  @Test
  void a_flipped_wal_keeps_every_intact_batch_and_never_reuses_an_lsn() throws Exception {
    Path data = dir.resolve("data");
    long shard = crashedStore(dir.resolve("live"), data, false);
    Path wal = DataFiles.largestWal(data);
    DataFiles.flip(wal, Files.size(wal) / 2, 32);

    // The batches in the damaged WAL block are lost for good: the repair names them, and goes on
    // only when told to.
    assertThat(repair(data, false, false)).isEqualTo(Outcome.LOSS_NOT_ACCEPTED);
    assertThat(String.join("\n", report))
        .contains("WAL is damaged")
        .contains("LOST: shard " + shard + ": batches ");
    assertThat(repair(data, false, true)).as(String.join("\n", report)).isEqualTo(Outcome.REPAIRED);
    assertThat(String.join("\n", report)).contains("backed up");

    try (RocksStreamStore store = TestStores.open(data)) {
      List<StoredEntry> kept = store.log().read(shard, 1, 1000);
      // 32 bytes flipped cost the WAL block they hit (32 KiB), not everything after it.
      assertThat(kept.size()).isBetween(BATCHES / 2, BATCHES - 1);
      assertThat(kept.get(kept.size() - 1).lsn()).isEqualTo(BATCHES);
      long next = TestStores.await(store.log().append("s", shard, TestStores.batch("x", 1))).lsn();
      assertThat(next).isGreaterThan(BATCHES);
    }
  }

  @Test
  void a_wal_cut_into_acknowledged_batches_is_repaired_only_when_the_loss_is_accepted()
      throws Exception {
    Path data = dir.resolve("data");
    long shard = crashedStore(dir.resolve("live"), data, false);
    Path wal = DataFiles.largestWal(data);
    DataFiles.truncate(wal, Files.size(wal) / 2);
    Map<String, Long> before = DataFiles.dataFiles(data);

    assertThat(repair(data, false, false)).isEqualTo(Outcome.LOSS_NOT_ACCEPTED);
    assertThat(String.join("\n", report)).contains("acknowledged up to LSN " + BATCHES);
    assertThat(DataFiles.dataFiles(data)).isEqualTo(before);

    assertThat(repair(data, false, true)).isEqualTo(Outcome.REPAIRED);
    try (RocksStreamStore store = TestStores.open(data)) {
      long kept = store.log().position(shard).lastLsn();
      assertThat(kept).isLessThan(BATCHES);
      assertThat(store.log().read(shard, 1, 1000)).hasSize((int) kept);
      long next = TestStores.await(store.log().append("s", shard, TestStores.batch("x", 1))).lsn();
      assertThat(next).as("above every acknowledged LSN").isGreaterThan(BATCHES);
    }
  }

  @Test
  void a_flipped_table_keeps_the_readable_batches_and_names_the_lost_ones() throws Exception {
    Path data = dir.resolve("data");
    long shard = crashedStore(dir.resolve("live"), data, true);
    Path table = DataFiles.largestTable(data);
    DataFiles.flip(table, Files.size(table) / 2, 32);

    assertThat(repair(data, false, false)).isEqualTo(Outcome.LOSS_NOT_ACCEPTED);
    assertThat(String.join("\n", report)).contains(table.getFileName().toString());
    assertThat(repair(data, false, true)).as(String.join("\n", report)).isEqualTo(Outcome.REPAIRED);
    assertThat(String.join("\n", report))
        .as(String.join("\n", report))
        .contains("LOST: shard " + shard + ": batches after LSN")
        .contains("and before LSN");

    try (RocksStreamStore store = TestStores.open(data)) {
      List<StoredEntry> kept = TestStores.readAll(store, shard);
      assertThat(kept.size()).isBetween(BATCHES / 2, BATCHES - 1);
      assertThat(kept.get(kept.size() - 1).lsn()).isEqualTo(BATCHES);
      assertThat(repair(data, false, false)).isEqualTo(Outcome.HEALTHY);
    }
  }

  @Test
  void a_flipped_manifest_refuses_to_open_and_repair_keeps_every_file_unless_told()
      throws Exception {
    Path data = dir.resolve("data");
    crashedStore(dir.resolve("live"), data, true);
    Path manifest = DataFiles.newest(data, "MANIFEST-", "");
    DataFiles.flip(manifest, Files.size(manifest) / 2, 32);
    Map<String, Long> before = DataFiles.dataFiles(data);

    // Depending on where the flip lands, RocksDB reports a checksum mismatch in the MANIFEST or
    // reads it as a shorter, valid one (and would then delete the table files it no longer names).
    assertThatThrownBy(() -> TestStores.open(data))
        .isInstanceOf(DamagedDataException.class)
        .hasMessageContaining(manifest.getFileName().toString())
        .hasMessageContaining("inlet server repair --data-dir " + data);
    assertThat(DataFiles.dataFiles(data)).as("RocksDB deleted no file").isEqualTo(before);

    assertThat(repair(data, false, false)).isIn(Outcome.CANNOT_REPAIR, Outcome.LOSS_NOT_ACCEPTED);
    assertThat(String.join("\n", report)).contains("backup");
    assertThat(DataFiles.dataFiles(data)).isEqualTo(before);
  }
}
