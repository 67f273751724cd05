package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.testing.DataFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;

/** Reads that meet damaged data report it as such, for the shard they read, and nothing else. */
class StoreReadDamageTest {
  @TempDir Path dir;

  @Test
  void a_flipped_table_file_fails_reads_of_its_shard_as_damaged_data() throws Exception {
    Path data = dir.resolve("data");
    long damaged;
    long healthy;
    try (RocksStreamStore store = TestStores.open(data)) {
      StreamInfo damagedStream = store.streams().create(new StreamSpec("damaged", 1, 1, 0));
      damaged = damagedStream.shards().get(0).shardId();
      for (int i = 0; i < 2000; i++) {
        TestStores.await(store.log().append("damaged", damaged, TestStores.batch("d" + i, 2)));
      }
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        store.database().db().flush(flush, store.database().data());
      }
      healthy =
          store.streams().create(new StreamSpec("healthy", 1, 1, 0)).shards().get(0).shardId();
      TestStores.await(store.log().append("healthy", healthy, TestStores.batch("h", 2)));
    }
    Path table = DataFiles.largestTable(data);
    DataFiles.flip(table, Files.size(table) / 2, 32);

    try (RocksStreamStore store = TestStores.open(data)) {
      assertThatThrownBy(() -> TestStores.readAll(store, damaged))
          .isInstanceOf(DamagedDataException.class)
          .isNotInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("shard " + damaged)
          .hasMessageContaining(table.getFileName().toString())
          .hasMessageContaining("inlet server repair --data-dir " + data)
          .satisfies(e -> assertThat(((DamagedDataException) e).shardId()).isEqualTo(damaged));
      assertThat(store.log().read(healthy, 1, 10)).hasSize(1);
    }
  }

  @Test
  void a_stored_value_that_does_not_parse_is_reported_and_the_rest_stays_readable()
      throws Exception {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 0; i < 5; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 2)));
      }
      // Batch 3 as an older version or a damaged disk might have left it: a valid header, then
      // bytes that are no Entry (a field claiming 2^31 bytes).
      byte[] bad = {1, 0, 0, 0, 0, 0, 0, 0, 1, 0x12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
      store.database().db().put(store.database().data(), DataKeys.key(shard, 3), bad);

      List<StoredEntry> head = store.log().read(shard, 1, 100);
      assertThat(head).extracting(StoredEntry::lsn).containsExactly(1L, 2L);
      assertThatThrownBy(() -> store.log().read(shard, 3, 100))
          .isInstanceOf(DamagedDataException.class)
          .hasMessageContaining("batch 3 of shard " + shard)
          .satisfies(e -> assertThat(((DamagedDataException) e).lsn()).isEqualTo(3));
      assertThat(store.log().read(shard, 4, 100))
          .extracting(StoredEntry::lsn)
          .containsExactly(4L, 5L);
    }
  }
}
