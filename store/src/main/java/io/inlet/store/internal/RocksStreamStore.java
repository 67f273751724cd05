package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogReopener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream store on one RocksDB. Open with {@link #open}; see {@link StoreDatabase} for the
 * column families and {@link MetaKeys}, {@link DataKeys} and {@link EntryValue} for the on-disk
 * layout. With {@link ShardStorage#SEGMENTS} the shards' entries are in a {@link SegmentLog}
 * instead ({@link SegmentShardLog}); everything else stays in RocksDB.
 *
 * <p>Threads: {@code inlet-store-writer} (group commit), {@code inlet-store-acks} (completes append
 * futures and wakes tailing readers; a lone group's acks run on the writer instead, see {@link
 * io.inlet.store.commit.AckDispatch}), {@code inlet-store-retention}.
 */
public final class RocksStreamStore implements StreamStore {
  private static final Logger logger = LoggerFactory.getLogger(RocksStreamStore.class);

  /**
   * The on-disk format this code writes and reads, kept under {@code meta} key 'F'. 2: entries are
   * stored as {@link EntryValue} format 2; a store of format 1 (batch values of {@link
   * LegacyBatchValue} format 1 only) is raised to 2 when it opens, so that an older Inlet, which
   * cannot read the new values, refuses to open it instead of reporting them as damaged.
   */
  static final long FORMAT_VERSION = 2;

  /** How often the writer records each shard's acknowledged LSN in the store marker. */
  static final Duration ACKNOWLEDGED_INTERVAL = Duration.ofSeconds(1);

  private final StoreDatabase database;
  private final StoreGate gate = new StoreGate();
  private final GroupCommitWriter writer;
  private final RocksStreamCatalog streams;
  private final RocksSubscriptionCatalog subscriptions;
  private final RocksReaderCatalog readers;
  private final RocksMetadataCatalog metadata;
  private final ShardRegistry registry;
  private final ShardLog log;
  private final RocksShardLog rocksLog; // null when the entries are in segments
  private final SegmentLog segmentLog; // null when the entries are in RocksDB
  private final SegmentShardLog segmentShardLog;
  private final SegmentLogReopener segmentReopener; // null when the entries are in RocksDB
  private final RetentionService retention;
  private final StoreMetrics metrics;
  private final StoreMetrics.DiskUsage diskUsage;
  private final LsnFloors floors;
  private final Object closeLock = new Object();
  private boolean closed;

  private RocksStreamStore(
      StoreDatabase database, StoreOptions options, StoreMarker marker, Duration acknowledged) {
    this.database = database;
    Clock clock = Clock.systemUTC();
    Object metaLock = new Object();
    MetaStore meta = new MetaStore(database);
    checkFormat(meta);
    registry = new ShardRegistry();
    floors = new LsnFloors(database.dir(), marker, registry, acknowledged);
    metrics =
        new StoreMetrics(
            options.meterRegistry() == null
                ? StoreMetrics.disabled().registry()
                : options.meterRegistry());
    StoreOptions.GroupCommit limits =
        options.groupCommit() == null ? StoreOptions.GroupCommit.DEFAULTS : options.groupCommit();
    writer = new GroupCommitWriter(database, floors, gate, metrics, limits);
    streams =
        new RocksStreamCatalog(
            meta,
            gate,
            metaLock,
            registry,
            writer,
            new StreamSubscriptions() {
              @Override
              public boolean any(String streamName) {
                return subscriptions.anyForStream(streamName);
              }

              @Override
              public void archive(String streamName, WriteBatch batch) throws RocksDBException {
                subscriptions.archiveForStream(streamName, batch);
              }
            },
            new StreamEvents() {
              @Override
              public void created(String stream) {
                metrics.trackDiskUsage(stream, diskUsage);
              }

              @Override
              public void deleted(StreamInfo stream) {
                if (segmentShardLog != null) {
                  segmentShardLog.deleteShards(stream);
                }
                metrics.streamDeleted(stream.name());
              }
            },
            clock);
    List<StreamInfo> recovered = streams.load();
    ShardStorage storage =
        ShardStorageChoice.settle(meta, options.shardStorage(), !recovered.isEmpty());
    logger.info("store in {} keeps its shards' entries in {}", database.dir(), storage.key());
    registry.recover(database, meta, recovered);
    floors.start(storage == ShardStorage.ROCKSDB);
    subscriptions =
        new RocksSubscriptionCatalog(
            meta, gate, metaLock, name -> streams.get(name).isPresent(), clock);
    readers = new RocksReaderCatalog(meta, gate, metaLock, streams, clock);
    metadata = new RocksMetadataCatalog(meta, gate);
    if (storage == ShardStorage.SEGMENTS) {
      segmentLog =
          ShardStorageChoice.openSegments(database.dir(), options, limits.commitDelay(), metrics);
      segmentReopener =
          new SegmentLogReopener(
              segmentLog, "the store", reopen -> gate.exclusive(1, TimeUnit.SECONDS, reopen));
      segmentShardLog =
          new SegmentShardLog(
              segmentLog,
              segmentReopener,
              registry,
              streams,
              meta,
              gate,
              metrics,
              clock,
              limits.maxQueuedBytes());
      try {
        segmentShardLog.deleteOrphans();
      } catch (RuntimeException e) {
        segmentReopener.close();
        segmentLog.close();
        throw e;
      }
      rocksLog = null;
      log = segmentShardLog;
      diskUsage = new SegmentDiskUsage(segmentLog, streams, gate);
    } else {
      segmentLog = null;
      segmentShardLog = null;
      segmentReopener = null;
      rocksLog =
          new RocksShardLog(
              registry,
              streams,
              writer,
              new BatchReads(database, metrics),
              new ShardTrimmer(database, meta),
              gate);
      log = rocksLog;
      diskUsage = new StreamDiskUsage(database, gate, streams, System::nanoTime);
    }
    recovered.forEach(stream -> metrics.trackDiskUsage(stream.name(), diskUsage));
    retention =
        new RetentionService(streams, registry, log, gate, clock, options.retentionInterval());
    metrics.bind(new RocksStorageProbe(database, gate, registry, streams, writer, segmentShardLog));
  }

  /**
   * Opens the store in {@code options.dataDir()} and recovers every shard's position. A missing or
   * empty directory gets a new store; a directory holding anything else is opened only as the store
   * it is, and only when recovery keeps every acknowledged batch (see {@link StoreOpening}).
   *
   * @throws StoreUnavailableException naming the directory and the cause when it cannot be created,
   *     is not writable, is locked by another process, holds a newer format or is no store
   * @throws io.inlet.store.DamagedDataException when its files are damaged or incomplete: the
   *     message names what was found and the repair command; nothing was changed
   */
  public static RocksStreamStore open(StoreOptions options) {
    return open(options, ACKNOWLEDGED_INTERVAL);
  }

  /** Opens with another interval for recording acknowledged LSNs; for tests. */
  static RocksStreamStore open(StoreOptions options, Duration acknowledgedInterval) {
    if (options.dataDir() == null) {
      throw new IllegalArgumentException("store dataDir is required");
    }
    if (options.retentionInterval() == null
        || options.retentionInterval().isNegative()
        || options.retentionInterval().isZero()) {
      throw new IllegalArgumentException(
          "store retentionInterval must be positive, found: " + options.retentionInterval());
    }
    Path dir = DataDirectory.prepare(options.dataDir());
    StoreOpening.Decision decision = StoreOpening.decide(dir);
    StoreDatabase database =
        StoreDatabase.open(
            dir,
            options.unsafeSkipFsync(),
            decision.kind() == StoreOpening.Kind.NEW
                ? StoreDatabase.Mode.CREATE
                : StoreDatabase.Mode.OPEN);
    try {
      StoreMarker marker = claim(database, decision);
      RocksStreamStore store =
          new RocksStreamStore(database, options, marker, acknowledgedInterval);
      if (options.unsafeSkipFsync()) {
        logger.warn("store in {} acknowledges appends before fsync (unsafe)", database.dir());
      }
      return store;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * Makes sure the directory carries the marker and the database the same store id: a new store and
   * a store of an earlier version get both now (marker first, so that a crash in between leaves a
   * database that opens as an earlier version's and is claimed again).
   */
  private static StoreMarker claim(StoreDatabase database, StoreOpening.Decision decision) {
    MetaStore meta = new MetaStore(database);
    StoreMarker marker = decision.marker();
    if (marker == null) {
      marker = new StoreMarker(UUID.randomUUID().toString(), FORMAT_VERSION, Map.of());
      try {
        marker.write(database.dir());
      } catch (IOException e) {
        throw new StoreUnavailableException(
            "cannot write the store marker in " + database.dir() + ": " + e.getMessage(), e);
      }
      if (decision.kind() == StoreOpening.Kind.EARLIER_VERSION) {
        logger.info(
            "store in {} was written by an earlier Inlet; marked it as store {}",
            database.dir(),
            marker.storeId());
      }
    }
    if (meta.get(RecoveryCheck.STORE_ID_KEY) == null) {
      meta.put(
          RecoveryCheck.STORE_ID_KEY,
          marker.storeId().getBytes(StandardCharsets.UTF_8),
          "record the store id");
    }
    return marker;
  }

  private static void checkFormat(MetaStore meta) {
    byte[] key = RecoveryCheck.FORMAT_KEY;
    byte[] value = meta.get(key);
    if (value == null || Bytes.getLong(value, 0) < FORMAT_VERSION) {
      meta.put(key, Bytes.ofLong(FORMAT_VERSION), "record the store format");
    } else if (Bytes.getLong(value, 0) > FORMAT_VERSION) {
      throw new StoreUnavailableException(
          "data directory "
              + meta.database().dir()
              + " holds store format "
              + Bytes.getLong(value, 0)
              + ", newer than this Inlet understands ("
              + FORMAT_VERSION
              + "); upgrade Inlet");
    }
  }

  /** Commits the appends queued in the segment log and closes it (a clean shutdown). */
  private void closeSegments() {
    if (segmentLog == null) {
      return;
    }
    segmentReopener.close();
    try {
      segmentLog.close();
    } catch (RuntimeException e) {
      logger.warn(
          "segment log in {} did not close cleanly: {}", segmentLog.directory(), e.toString());
    }
  }

  /** Leaves no WAL to replay: the next open neither waits for it nor depends on it. */
  private void flushForCleanRestart() {
    if (database.needsReopen()) {
      return;
    }
    try {
      database.flush();
    } catch (RocksDBException | RuntimeException e) {
      logger.warn(
          "store in {}: flushing at close failed ({}); the WAL keeps everything",
          database.dir(),
          e.toString());
    }
  }

  StoreDatabase database() {
    return database;
  }

  StoreGate gate() {
    return gate;
  }

  @Override
  public StreamCatalog streams() {
    return streams;
  }

  @Override
  public ShardLog log() {
    return log;
  }

  /** The segment log, for tests; null when the entries are in RocksDB. */
  SegmentLog segmentLog() {
    return segmentLog;
  }

  /** The group-commit writer, for tests that need to hold it between groups. */
  GroupCommitWriter writer() {
    return writer;
  }

  /**
   * The shard log with the internal {@link RocksShardLog#appendAt} a replication layer needs.
   *
   * @throws IllegalStateException when the store keeps its entries in segments
   */
  public RocksShardLog shardLog() {
    if (rocksLog == null) {
      throw new IllegalStateException("the store keeps its shards' entries in segments");
    }
    return rocksLog;
  }

  /** How many readers wait on the shard; for tests. */
  int waiting(long shardId) {
    return registry.require(shardId).waiters.size();
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return subscriptions;
  }

  @Override
  public ReaderCatalog readers() {
    return readers;
  }

  @Override
  public MetadataCatalog metadata() {
    return metadata;
  }

  @Override
  public Optional<String> writesRefused() {
    Optional<String> refused = database.writesRefused();
    return refused.isPresent() || segmentReopener == null
        ? refused
        : segmentReopener.writesRefused();
  }

  /**
   * Stops retention, refuses new appends ("store is closing"), commits and acknowledges those
   * already queued, waits for reads in progress, fails tailing readers, then closes RocksDB.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    retention.close();
    boolean writerStopped = writer.stop();
    boolean idle = false;
    try {
      idle = gate.closeAndWait(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeSegments();
    for (ShardState shard : registry.all()) {
      shard.waiters.failAll(StoreErrors.closed());
    }
    if (writerStopped && idle) {
      flushForCleanRestart();
      floors.persistOnClose();
      database.close();
    } else {
      // Closing native handles under a running thread would crash the JVM; leak them instead.
      logger.warn("store in {} left open: work still running at close", database.dir());
    }
  }
}
