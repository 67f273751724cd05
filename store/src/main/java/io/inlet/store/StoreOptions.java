package io.inlet.store;

import io.inlet.store.segment.SegmentLogOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a store.
 *
 * @param dataDir where RocksDB keeps its files; created if missing
 * @param retentionInterval how often expired batches are deleted
 * @param unsafeSkipFsync acknowledge appends before fsync (loses acked data on a crash; off by
 *     default, for benchmarks only)
 * @param meterRegistry where the store registers its meters ({@link
 *     io.inlet.store.metrics.StoreMetrics})
 * @param groupCommit the limits of group commit
 * @param shardStorage where the shards' entries go, or null for what the directory holds ({@link
 *     ShardStorage#SEGMENTS} for a new one); a directory keeps the storage it was created with
 * @param openSealedSegments how many sealed segment files the segment log keeps open between reads
 *     ({@link SegmentLogOptions#openSealedSegments()}); unused with RocksDB storage
 */
public record StoreOptions(
    Path dataDir,
    Duration retentionInterval,
    boolean unsafeSkipFsync,
    MeterRegistry meterRegistry,
    GroupCommit groupCommit,
    ShardStorage shardStorage,
    int openSealedSegments) {

  /**
   * @throws IllegalArgumentException when {@code openSealedSegments} is negative
   */
  public StoreOptions {
    if (openSealedSegments < 0) {
      throw new IllegalArgumentException(
          "store openSealedSegments must be >= 0, found: " + openSealedSegments);
    }
  }

  /** Options with the default number of sealed segment files kept open. */
  public StoreOptions(
      Path dataDir,
      Duration retentionInterval,
      boolean unsafeSkipFsync,
      MeterRegistry meterRegistry,
      GroupCommit groupCommit,
      ShardStorage shardStorage) {
    this(
        dataDir,
        retentionInterval,
        unsafeSkipFsync,
        meterRegistry,
        groupCommit,
        shardStorage,
        SegmentLogOptions.DEFAULT_OPEN_SEALED_SEGMENTS);
  }

  /**
   * The limits of group commit: one writer thread takes the queued appends, writes them as one
   * RocksDB write batch and fsyncs once; the ack threads then complete their futures (or the writer
   * itself, when it has nothing else to do).
   *
   * @param maxQueuedBytes appends waiting for the writer, in bytes, beyond which new ones are
   *     refused (StoreUnavailableException: "store is overloaded"), so a slow disk cannot exhaust
   *     the heap; at least 1 MiB
   * @param maxGroupBytes bytes written by one group (one write, one fsync); a group closes once it
   *     holds this much; at least 64 KiB
   * @param maxGroupOps appends and other writer operations taken into one group, at least 1
   * @param ackThreads threads that complete append futures and wake tailing readers; 1 to 16. With
   *     more than one, the acks of consecutive groups may complete in either order
   * @param commitDelay the longest an append that finds the writer idle may wait for others to
   *     share its write and fsync: the writer waits for as many as its last group held, up to
   *     {@link #COMMIT_DELAY_GROUP_TARGET}, and the append that completes them ends the wait. At a
   *     moderate rate from many clients one fsync then covers several appends; a client that
   *     appends one at a time never waits. At most 100 ms, zero to write at once
   */
  public record GroupCommit(
      long maxQueuedBytes,
      int maxGroupBytes,
      int maxGroupOps,
      int ackThreads,
      Duration commitDelay) {

    /** The longest commit delay accepted. */
    public static final Duration MAX_COMMIT_DELAY = Duration.ofMillis(100);

    /**
     * The commit delay waits until a group would hold as many appends as the last one, but never
     * for more than this many, the first included.
     */
    public static final int COMMIT_DELAY_GROUP_TARGET = 8;

    /** The default commit delay (adaptive: see {@code commitDelay}). */
    public static final Duration DEFAULT_COMMIT_DELAY = Duration.ofNanos(500_000);

    /**
     * 256 MiB queued, 32 MiB and 4096 operations per group, one ack thread, a commit delay of 500
     * µs.
     */
    public static final GroupCommit DEFAULTS =
        new GroupCommit(256L << 20, 32 << 20, 4096, 1, DEFAULT_COMMIT_DELAY);

    /**
     * @throws IllegalArgumentException naming the limit and the value when one is out of range
     */
    public GroupCommit {
      if (maxQueuedBytes < (1L << 20)) {
        throw new IllegalArgumentException(
            "store maxQueuedBytes must be at least 1 MiB, found: " + maxQueuedBytes);
      }
      if (maxGroupBytes < (64 << 10)) {
        throw new IllegalArgumentException(
            "store maxGroupBytes must be at least 64 KiB, found: " + maxGroupBytes);
      }
      if (maxGroupOps < 1) {
        throw new IllegalArgumentException(
            "store maxGroupOps must be at least 1, found: " + maxGroupOps);
      }
      if (ackThreads < 1 || ackThreads > 16) {
        throw new IllegalArgumentException("store ackThreads must be 1..16, found: " + ackThreads);
      }
      if (commitDelay == null
          || commitDelay.isNegative()
          || commitDelay.compareTo(MAX_COMMIT_DELAY) > 0) {
        throw new IllegalArgumentException(
            "store commitDelay must be 0.."
                + MAX_COMMIT_DELAY.toMillis()
                + " ms, found: "
                + commitDelay);
      }
    }

    /** Limits without a commit delay. */
    public GroupCommit(long maxQueuedBytes, int maxGroupBytes, int maxGroupOps, int ackThreads) {
      this(maxQueuedBytes, maxGroupBytes, maxGroupOps, ackThreads, Duration.ZERO);
    }
  }

  /** Options with entries in RocksDB. */
  public StoreOptions(
      Path dataDir,
      Duration retentionInterval,
      boolean unsafeSkipFsync,
      MeterRegistry registry,
      GroupCommit groupCommit) {
    this(dataDir, retentionInterval, unsafeSkipFsync, registry, groupCommit, ShardStorage.ROCKSDB);
  }

  /** Options with the default group-commit limits. */
  public StoreOptions(
      Path dataDir, Duration retentionInterval, boolean unsafeSkipFsync, MeterRegistry registry) {
    this(dataDir, retentionInterval, unsafeSkipFsync, registry, GroupCommit.DEFAULTS);
  }

  /** Options whose meters go nowhere. */
  public StoreOptions(Path dataDir, Duration retentionInterval, boolean unsafeSkipFsync) {
    this(dataDir, retentionInterval, unsafeSkipFsync, new CompositeMeterRegistry());
  }

  public static StoreOptions defaults(Path dataDir) {
    return new StoreOptions(dataDir, Duration.ofMinutes(1), false);
  }

  /** These options with other group-commit limits. */
  public StoreOptions withGroupCommit(GroupCommit limits) {
    return new StoreOptions(
        dataDir,
        retentionInterval,
        unsafeSkipFsync,
        meterRegistry,
        limits,
        shardStorage,
        openSealedSegments);
  }

  /** These options with the shards' entries in {@code storage}. */
  public StoreOptions withShardStorage(ShardStorage storage) {
    return new StoreOptions(
        dataDir,
        retentionInterval,
        unsafeSkipFsync,
        meterRegistry,
        groupCommit,
        storage,
        openSealedSegments);
  }

  /**
   * These options with up to {@code count} sealed segment files kept open between reads (see {@link
   * SegmentLogOptions#openSealedSegments()}).
   */
  public StoreOptions withOpenSealedSegments(int count) {
    return new StoreOptions(
        dataDir,
        retentionInterval,
        unsafeSkipFsync,
        meterRegistry,
        groupCommit,
        shardStorage,
        count);
  }
}
