package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.metrics.StoreMetrics;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream store on one RocksDB. Open with {@link #open}; see {@link StoreDatabase} for the
 * column families and {@link MetaKeys}, {@link DataKeys} and {@link BatchValue} for the on-disk
 * layout.
 *
 * <p>Threads: {@code inlet-store-writer} (group commit), {@code inlet-store-acks} (completes append
 * futures and wakes tailing readers), {@code inlet-store-retention}.
 */
public final class RocksStreamStore implements StreamStore {
  private static final Logger logger = LoggerFactory.getLogger(RocksStreamStore.class);

  /** The on-disk format this code writes and reads, kept under {@code meta} key 'F'. */
  static final long FORMAT_VERSION = 1;

  private final StoreDatabase database;
  private final StoreGate gate = new StoreGate();
  private final GroupCommitWriter writer;
  private final RocksStreamCatalog streams;
  private final RocksSubscriptionCatalog subscriptions;
  private final RocksReaderCatalog readers;
  private final RocksMetadataCatalog metadata;
  private final RocksShardLog log;
  private final RetentionService retention;
  private final StoreMetrics metrics;
  private final StreamDiskUsage diskUsage;
  private final Object closeLock = new Object();
  private boolean closed;

  private RocksStreamStore(StoreDatabase database, StoreOptions options) {
    this.database = database;
    Clock clock = Clock.systemUTC();
    Object metaLock = new Object();
    MetaStore meta = new MetaStore(database);
    checkFormat(meta);
    ShardRegistry registry = new ShardRegistry();
    metrics =
        new StoreMetrics(
            options.meterRegistry() == null
                ? StoreMetrics.disabled().registry()
                : options.meterRegistry());
    writer = new GroupCommitWriter(database, gate, metrics);
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
              public void deleted(String stream) {
                metrics.streamDeleted(stream);
              }
            },
            clock);
    diskUsage = new StreamDiskUsage(database, gate, streams, System::nanoTime);
    List<StreamInfo> recovered = streams.load();
    registry.recover(database, meta, recovered);
    recovered.forEach(stream -> metrics.trackDiskUsage(stream.name(), diskUsage));
    subscriptions =
        new RocksSubscriptionCatalog(
            meta, gate, metaLock, name -> streams.get(name).isPresent(), clock);
    readers = new RocksReaderCatalog(meta, gate, metaLock, streams, clock);
    metadata = new RocksMetadataCatalog(meta, gate);
    BatchReads reads = new BatchReads(database, metrics);
    ShardTrimmer trimmer = new ShardTrimmer(database, meta);
    log = new RocksShardLog(registry, streams, writer, reads, trimmer, gate);
    retention =
        new RetentionService(
            streams, registry, reads, trimmer, gate, clock, options.retentionInterval());
    metrics.bind(new RocksStorageProbe(database, gate, registry, streams, writer));
  }

  /**
   * Opens the store in {@code options.dataDir()}, creating it if missing, and recovers every
   * shard's position.
   *
   * @throws StoreUnavailableException naming the directory and the cause when it cannot be created,
   *     is not writable, is locked by another process, or holds a newer format
   */
  public static RocksStreamStore open(StoreOptions options) {
    if (options.dataDir() == null) {
      throw new IllegalArgumentException("store dataDir is required");
    }
    if (options.retentionInterval() == null
        || options.retentionInterval().isNegative()
        || options.retentionInterval().isZero()) {
      throw new IllegalArgumentException(
          "store retentionInterval must be positive, found: " + options.retentionInterval());
    }
    StoreDatabase database = StoreDatabase.open(options.dataDir(), options.unsafeSkipFsync());
    try {
      RocksStreamStore store = new RocksStreamStore(database, options);
      if (options.unsafeSkipFsync()) {
        logger.warn("store in {} acknowledges appends before fsync (unsafe)", database.dir());
      }
      return store;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static void checkFormat(MetaStore meta) {
    byte[] key = MetaKeys.named(MetaKeys.FORMAT, "format");
    byte[] value = meta.get(key);
    if (value == null) {
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

  /** The shard log with the internal {@link RocksShardLog#appendAt} a replication layer needs. */
  public RocksShardLog shardLog() {
    return log;
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
    log.failAllWaiters();
    if (writerStopped && idle) {
      database.close();
    } else {
      // Closing native handles under a running thread would crash the JVM; leak them instead.
      logger.warn("store in {} left open: work still running at close", database.dir());
    }
  }
}
