package io.inlet.store.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The one RocksDB of a store and its column families: {@code default} (unused, RocksDB requires
 * it), {@code meta} (streams, subscriptions, checkpoints, readers, counters; see {@link MetaKeys})
 * and {@code data} (batches; see {@link DataKeys} and {@link BatchValue}). Owns every native handle
 * and closes them in reverse order of creation.
 */
final class StoreDatabase implements AutoCloseable {
  static final String META = "meta";
  static final String DATA = "data";

  private static final long BLOCK_CACHE_BYTES = 64L << 20;
  private static final long ALL_MEMTABLES_BYTES = 128L << 20;

  private final Path dir;
  // Closed in reverse order of this list.
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final RocksDB db;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle data;
  private final WriteOptions syncWrite;
  private final WriteOptions appendWrite;

  private StoreDatabase(Path dir, boolean unsafeSkipFsync) {
    this.dir = dir;
    RocksDB.loadLibrary();
    LRUCache cache = track(new LRUCache(BLOCK_CACHE_BYTES));
    DBOptions dbOptions =
        track(new DBOptions())
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            // Bounds recovery time and disk held by old WAL files.
            .setMaxTotalWalSize(256L << 20)
            .setDbWriteBufferSize(ALL_MEMTABLES_BYTES)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(3)
            .setMaxLogFileSize(16L << 20);
    ColumnFamilyOptions metaOptions = track(columnFamilyOptions(cache, 4L << 20));
    ColumnFamilyOptions dataOptions = track(columnFamilyOptions(cache, 32L << 20));
    dataOptions.setMaxWriteBufferNumber(3).setTargetFileSizeBase(64L << 20);

    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
            new ColumnFamilyDescriptor(bytes(META), metaOptions),
            new ColumnFamilyDescriptor(bytes(DATA), dataOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      close();
      throw DataDirectory.openFailed(dir, e);
    }
    track(db);
    handles.forEach(this::track);
    meta = handles.get(1);
    data = handles.get(2);
    syncWrite = track(new WriteOptions()).setSync(true);
    appendWrite = unsafeSkipFsync ? track(new WriteOptions()).setSync(false) : syncWrite;
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}.
   *
   * @throws io.inlet.api.error.StoreUnavailableException naming the directory and the cause
   */
  static StoreDatabase open(Path dataDir, boolean unsafeSkipFsync) {
    return new StoreDatabase(DataDirectory.prepare(dataDir), unsafeSkipFsync);
  }

  private static ColumnFamilyOptions columnFamilyOptions(LRUCache cache, long writeBufferBytes) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig().setBlockCache(cache).setBlockSize(16 << 10);
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(writeBufferBytes)
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
  }

  Path dir() {
    return dir;
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle meta() {
    return meta;
  }

  ColumnFamilyHandle data() {
    return data;
  }

  /** Waits for the WAL fsync; every metadata write uses it. */
  WriteOptions syncWrite() {
    return syncWrite;
  }

  /** What appends use: {@link #syncWrite()} unless the store runs with unsafe-skip-fsync. */
  WriteOptions appendWrite() {
    return appendWrite;
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // Closing native handles only fails on programming errors; keep releasing the rest.
      }
    }
    resources.clear();
  }

  private static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
