package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.StreamSpec;
import io.inlet.store.testing.DataFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/** Opening never creates a new database over files that are already there. */
class StoreDirectoryTest {
  @TempDir Path dir;

  private long storeWithBatches(Path data, int batches) {
    try (RocksStreamStore store = TestStores.open(data)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 0; i < batches; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("b" + i, 2)));
      }
      return shard;
    }
  }

  @Test
  void a_missing_CURRENT_is_refused_on_every_open_and_no_file_is_removed() throws Exception {
    Path data = dir.resolve("data");
    long shard = storeWithBatches(data, 20);
    Path manifest = DataFiles.newest(data, "MANIFEST-", "");
    Files.delete(data.resolve("CURRENT"));
    Map<String, Long> before = DataFiles.dataFiles(data);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> TestStores.open(data))
          .hasMessageContaining(data.toString())
          .hasMessageContaining("CURRENT is missing")
          .hasMessageContaining(manifest.getFileName().toString())
          .hasMessageContaining("inlet server repair --data-dir " + data);
      assertThat(data.resolve("CURRENT")).doesNotExist();
      assertThat(DataFiles.dataFiles(data)).isEqualTo(before);
    }

    // What the repair does for this case: CURRENT names the newest MANIFEST again.
    Files.writeString(data.resolve("CURRENT"), manifest.getFileName() + "\n");
    try (RocksStreamStore store = TestStores.open(data)) {
      assertThat(store.log().read(shard, 1, 100)).hasSize(20);
    }
  }

  @Test
  void a_directory_holding_other_files_is_refused_naming_them() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> TestStores.open(data))
        .hasMessageContaining(data.toString())
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("empty directory");
    assertThat(DataFiles.names(data)).containsExactly("notes.txt");
  }

  @Test
  void a_new_store_is_marked_and_reopens() throws Exception {
    Path data = dir.resolve("data");
    long shard = storeWithBatches(data, 3);

    assertThat(data.resolve(StoreMarker.FILE_NAME)).exists();
    assertThat(Files.readString(data.resolve(StoreMarker.FILE_NAME))).contains("store-id=");
    try (RocksStreamStore store = TestStores.open(data)) {
      assertThat(store.log().read(shard, 1, 100)).hasSize(3);
    }
  }

  @Test
  void a_store_of_an_earlier_version_without_a_marker_is_adopted() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    writeEarlierVersionStore(data);

    try (RocksStreamStore store = TestStores.open(data)) {
      assertThat(store.streams().list("")).isEmpty();
      store.streams().create(new StreamSpec("s", 1, 1, 0));
    }
    assertThat(data.resolve(StoreMarker.FILE_NAME)).exists();
    try (RocksStreamStore store = TestStores.open(data)) {
      assertThat(store.streams().get("s")).isPresent();
    }
  }

  @Test
  void a_missing_marker_is_refused_once_the_store_has_recorded_one() throws Exception {
    Path data = dir.resolve("data");
    storeWithBatches(data, 1);
    Files.delete(data.resolve(StoreMarker.FILE_NAME));

    assertThatThrownBy(() -> TestStores.open(data))
        .hasMessageContaining(StoreMarker.FILE_NAME + " is missing")
        .hasMessageContaining("inlet server repair --data-dir " + data);
  }

  @Test
  void a_marker_without_any_store_files_is_refused() throws Exception {
    Path data = dir.resolve("data");
    storeWithBatches(data, 1);
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals(StoreMarker.FILE_NAME)) {
          Files.delete(f);
        }
      }
    }

    assertThatThrownBy(() -> TestStores.open(data)).hasMessageContaining("CURRENT is missing");
    assertThat(DataFiles.names(data)).containsExactly(StoreMarker.FILE_NAME);
  }

  /** What Inlet 0.1 left: the three column families and the format key, no marker. */
  private static void writeEarlierVersionStore(Path data) throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
            new ColumnFamilyDescriptor("meta".getBytes()),
            new ColumnFamilyDescriptor("data".getBytes()));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB db = RocksDB.open(options, data.toString(), descriptors, handles)) {
      db.put(handles.get(1), sync, MetaKeys.named(MetaKeys.FORMAT, "format"), Bytes.ofLong(1));
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
