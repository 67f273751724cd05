package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The one RocksDB of a store and its column families: {@code default} (unused, RocksDB requires
 * it), {@code meta} (streams, subscriptions, checkpoints, readers, counters; see {@link MetaKeys})
 * and {@code data} (entries; see {@link DataKeys} and {@link EntryValue}). Owns every native handle
 * and closes them in reverse order of creation.
 *
 * <p>Opening never creates a database unless asked to ({@link Mode#CREATE}, only for a directory
 * Inlet found empty), and replays the WAL in RocksDB's {@code kTolerateCorruptedTailRecords} mode:
 * an incomplete last record (a write torn by a crash, never acknowledged) is dropped, any other
 * damage fails the open instead of silently cutting the log short (see {@code WalRecoveryModesTest}
 * for what each mode does).
 *
 * <p>After a failed write (a full disk, an I/O error) RocksDB refuses every later write until it is
 * reopened, and RocksJava cannot resume it in place. So a failed write marks the database for
 * {@link #reopen()}, which the writer does while no one else uses the handles.
 */
final class StoreDatabase implements AutoCloseable {
  static final String META = "meta";
  static final String DATA = "data";

  private static final long BLOCK_CACHE_BYTES = 64L << 20;
  private static final long ALL_MEMTABLES_BYTES = 128L << 20;
  private static final long REOPEN_HEADROOM_BYTES = 4L << 20;

  /** How to open. */
  enum Mode {
    /** A new database in an empty directory; fails if one exists. */
    CREATE,
    /** An existing database; fails if there is none. */
    OPEN,
    /** An existing database, without writing anything (not even the WAL's replay). */
    READ_ONLY
  }

  private final Path dir;
  private final Mode mode;
  // Options live as long as the store; closed in reverse order of this list.
  private final List<AutoCloseable> options = new ArrayList<>();
  private final DBOptions dbOptions;
  private final Statistics statistics;
  private final List<ColumnFamilyDescriptor> descriptors;
  private final WriteOptions syncWrite;
  private final WriteOptions appendWrite;

  // The open database; replaced by reopen(), null while it could not be opened again.
  private volatile Opened opened;
  private volatile Exception writeFailure;

  private record Opened(RocksDB db, List<ColumnFamilyHandle> handles) {
    ColumnFamilyHandle meta() {
      return handles.get(1);
    }

    ColumnFamilyHandle data() {
      return handles.get(2);
    }

    void close() {
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
    }
  }

  private StoreDatabase(Path dir, boolean unsafeSkipFsync, Mode mode, WALRecoveryMode walMode) {
    this.dir = dir;
    this.mode = mode;
    RocksDB.loadLibrary();
    LRUCache cache = track(new LRUCache(BLOCK_CACHE_BYTES));
    // For the tickers the metrics read (block cache hits and misses, stall time); the cheapest
    // level RocksJava offers leaves out the detailed (per-operation) timers.
    statistics = track(new Statistics());
    statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
    dbOptions =
        track(new DBOptions())
            .setCreateIfMissing(mode == Mode.CREATE)
            .setCreateMissingColumnFamilies(mode == Mode.CREATE)
            .setErrorIfExists(mode == Mode.CREATE)
            .setWalRecoveryMode(walMode)
            .setMaxBackgroundJobs(2)
            // Bounds recovery time and disk held by old WAL files.
            .setMaxTotalWalSize(256L << 20)
            .setDbWriteBufferSize(ALL_MEMTABLES_BYTES)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(3)
            .setMaxLogFileSize(16L << 20)
            .setStatistics(statistics);
    ColumnFamilyOptions metaOptions = track(columnFamilyOptions(cache, 4L << 20));
    ColumnFamilyOptions dataOptions = track(columnFamilyOptions(cache, 32L << 20));
    dataOptions.setMaxWriteBufferNumber(3).setTargetFileSizeBase(64L << 20);
    descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
            new ColumnFamilyDescriptor(bytes(META), metaOptions),
            new ColumnFamilyDescriptor(bytes(DATA), dataOptions));
    syncWrite = track(new WriteOptions()).setSync(true);
    appendWrite = unsafeSkipFsync ? track(new WriteOptions()).setSync(false) : syncWrite;
    try {
      opened = openRocks();
    } catch (RocksDBException e) {
      close();
      throw DataDirectory.openFailed(dir, e);
    }
    // A reopen after a failed write opens the database that now exists.
    dbOptions
        .setCreateIfMissing(false)
        .setCreateMissingColumnFamilies(false)
        .setErrorIfExists(false);
  }

  /**
   * Opens the database in {@code dir}, a directory {@link DataDirectory#prepare} accepted and
   * {@link StoreOpening} classified.
   *
   * @throws StoreUnavailableException naming the directory and the cause
   * @throws io.inlet.store.DamagedDataException when replaying the WAL meets damage
   */
  static StoreDatabase open(Path dir, boolean unsafeSkipFsync, Mode mode) {
    return new StoreDatabase(
        dir, unsafeSkipFsync, mode, WALRecoveryMode.TolerateCorruptedTailRecords);
  }

  /**
   * Opens with another WAL recovery mode; the repair uses {@code SkipAnyCorruptedRecords} to keep
   * every record that is still intact.
   */
  static StoreDatabase open(Path dir, Mode mode, WALRecoveryMode walMode) {
    return new StoreDatabase(dir, false, mode, walMode);
  }

  private Opened openRocks() throws RocksDBException {
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db =
        mode == Mode.READ_ONLY
            ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
            : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    return new Opened(db, List.copyOf(handles));
  }

  /**
   * Drops the {@code data} column family and creates it again, empty; for the repair, while no one
   * else uses the database.
   */
  void recreateData() throws RocksDBException {
    Opened now = current();
    now.db().dropColumnFamily(now.data());
    ColumnFamilyHandle data = now.db().createColumnFamily(descriptors.get(2));
    now.handles().get(2).close();
    opened = new Opened(now.db(), List.of(now.handles().get(0), now.handles().get(1), data));
  }

  /**
   * Writes the memtables to table files and waits, so the next open has no WAL to replay (and
   * depends on no WAL). Part of a clean close.
   *
   * @throws RocksDBException when the flush fails (a full disk); the WAL still holds everything
   */
  void flush() throws RocksDBException {
    try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
      current().db().flush(wait, current().handles());
    }
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
    return current().db();
  }

  ColumnFamilyHandle meta() {
    return current().meta();
  }

  ColumnFamilyHandle data() {
    return current().data();
  }

  private Opened current() {
    Opened now = opened;
    if (now == null) {
      throw new StoreUnavailableException(
          "store in "
              + dir
              + " is recovering from a failed write: "
              + describe(writeFailure)
              + resumeHint());
    }
    return now;
  }

  /** RocksDB's tickers; they survive {@link #reopen()}. */
  Statistics statistics() {
    return statistics;
  }

  /** Waits for the WAL fsync; every metadata write uses it. */
  WriteOptions syncWrite() {
    return syncWrite;
  }

  /** Whether appends are fsync'd before they are acknowledged (not with unsafe-skip-fsync). */
  boolean syncsAppends() {
    return appendWrite == syncWrite;
  }

  /** What appends use: {@link #syncWrite()} unless the store runs with unsafe-skip-fsync. */
  WriteOptions appendWrite() {
    return appendWrite;
  }

  /** Records that a write failed; RocksDB now refuses writes until {@link #reopen()}. */
  void writeFailed(Exception cause) {
    writeFailure = cause;
  }

  boolean needsReopen() {
    return writeFailure != null;
  }

  /** The cause of the last failed write, or null. */
  Exception writeFailure() {
    return writeFailure;
  }

  /**
   * Whether the file system has room for what reopening writes: RocksDB flushes the replayed WAL
   * into table files before it takes writes again. Reopening without that room would fail and leave
   * the store closed, so until then the failed database stays open for reads.
   */
  boolean hasRoomToReopen() {
    return room().enough();
  }

  /** Free space against what reopening needs: the WAL's size plus 4 MiB of headroom. */
  record Room(Path dir, long walBytes, long free) {
    long needed() {
      return walBytes + REOPEN_HEADROOM_BYTES;
    }

    boolean enough() {
      return free >= needed();
    }

    /** "writes resume once /data has 37 MiB free (the WAL's 33 MiB + 4 MiB); it has 2 MiB" */
    String resumeCondition() {
      return "writes resume once the file system of "
          + dir
          + " has "
          + mib(needed())
          + " free (the WAL's "
          + mib(walBytes)
          + " + 4 MiB); it has "
          + mib(free)
          + " now";
    }

    private static String mib(long bytes) {
      return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
  }

  Room room() {
    long walBytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      walBytes =
          files
              .filter(f -> StoreFiles.isWal(f.getFileName().toString()))
              .mapToLong(StoreDatabase::sizeOf)
              .sum();
      return new Room(dir, walBytes, Files.getFileStore(dir).getUsableSpace());
    } catch (IOException e) {
      return new Room(dir, walBytes, Long.MAX_VALUE);
    }
  }

  /** Why the store refuses writes now, with what makes them resume; empty while it takes writes. */
  java.util.Optional<String> writesRefused() {
    Exception failure = writeFailure;
    if (failure == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "the store refuses writes after a failed write (" + describe(failure) + ")" + resumeHint());
  }

  /**
   * What makes writes resume after a failed one, for error messages: "; writes resume once ...".
   */
  String resumeHint() {
    Room room = room();
    return room.enough()
        ? "; the store reopens within a second and writes resume"
        : "; " + room.resumeCondition();
  }

  /** Records a failed write (RocksDB now refuses writes) and says why, and when writes resume. */
  StoreUnavailableException writeFailed(String what, RocksDBException e) {
    writeFailed(e);
    return new StoreUnavailableException(
        "cannot "
            + what
            + " in "
            + dir
            + ": "
            + StoreErrors.describe(e)
            + "; nothing was written"
            + resumeHint(),
        e);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Closes and reopens RocksDB, which replays the WAL and clears the failed state. The caller
   * guarantees that nobody uses the handles meanwhile.
   *
   * @throws StoreUnavailableException when it cannot be opened again (the disk is still full); the
   *     next call tries again
   */
  void reopen() {
    Opened old = opened;
    opened = null;
    if (old != null) {
      old.close();
    }
    try {
      opened = openRocks();
      writeFailure = null;
    } catch (RocksDBException e) {
      writeFailure = e;
      throw new StoreUnavailableException(
          "cannot reopen the store in " + dir + ": " + StoreErrors.describe(e), e);
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    options.add(resource);
    return resource;
  }

  @Override
  public void close() {
    Opened now = opened;
    opened = null;
    if (now != null) {
      now.close();
    }
    for (int i = options.size() - 1; i >= 0; i--) {
      try {
        options.get(i).close();
      } catch (Exception e) {
        // Closing native handles only fails on programming errors; keep releasing the rest.
      }
    }
    options.clear();
  }

  private static String describe(Exception e) {
    if (e instanceof RocksDBException r) {
      return StoreErrors.describe(r);
    }
    return String.valueOf(e);
  }

  private static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
