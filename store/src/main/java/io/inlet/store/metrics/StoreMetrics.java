package io.inlet.store.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of the store, defined once with its description. Names are Micrometer names; the
 * Prometheus registry exposes {@code inlet.store.append.batches} as {@code
 * inlet_store_append_batches_total}, timers in seconds as {@code ..._seconds}, byte gauges as
 * {@code ..._bytes}.
 *
 * <p>Labels are bounded: {@code stream} (live streams only: a stream's meters are removed when it
 * is deleted) and {@code reason} (a fixed set). Thread-safe.
 */
public final class StoreMetrics {
  public static final String APPEND_BATCHES = "inlet.store.append.batches";
  public static final String APPEND_RECORDS = "inlet.store.append.records";
  public static final String APPEND_BYTES = "inlet.store.append.bytes";
  public static final String APPEND_FAILURES = "inlet.store.append.failures";
  public static final String APPEND_LATENCY = "inlet.store.append.latency";
  public static final String APPEND_QUEUE = "inlet.store.append.queue";
  public static final String READ_BATCHES = "inlet.store.read.batches";
  public static final String READ_BYTES = "inlet.store.read.bytes";
  public static final String GROUP_COMMIT_SYNC = "inlet.store.group.commit.sync";
  public static final String GROUP_COMMIT_BATCHES = "inlet.store.group.commit.batches";
  public static final String GROUP_COMMIT_BYTES = "inlet.store.group.commit.size";
  public static final String COMMIT_DELAY = "inlet.store.group.commit.delay";
  public static final String JOURNAL_CHECKPOINT = "inlet.store.journal.checkpoint";
  public static final String JOURNAL_WRITEBACK = "inlet.store.journal.writeback";
  public static final String WRITES_REFUSED = "inlet.store.writes.refused";
  public static final String STREAMS = "inlet.store.streams";
  public static final String SHARDS = "inlet.store.shards";
  public static final String STREAM_DISK = "inlet.store.stream.disk";
  public static final String SST_FILES = "inlet.store.rocksdb.sst.files";
  public static final String MEMTABLES = "inlet.store.rocksdb.memtables";
  public static final String PENDING_COMPACTION = "inlet.store.rocksdb.pending.compaction";
  public static final String WRITE_STOPPED = "inlet.store.rocksdb.write.stopped";
  public static final String DELAYED_WRITE_RATE = "inlet.store.rocksdb.delayed.write.rate";
  public static final String STALL_TIME = "inlet.store.rocksdb.stall";
  public static final String BLOCK_CACHE_USAGE = "inlet.store.rocksdb.block.cache.usage";
  public static final String BLOCK_CACHE_HITS = "inlet.store.rocksdb.block.cache.hits";
  public static final String BLOCK_CACHE_MISSES = "inlet.store.rocksdb.block.cache.misses";

  static final String STREAM = "stream";
  static final String REASON = "reason";

  /** Latency buckets (seconds) for appends and fsyncs: 100 µs to 10 s. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(10)
  };

  private static final double[] GROUP_BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 4096};
  private static final double[] GROUP_BYTES_BUCKETS = {
    1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 32 << 20, 64 << 20
  };

  /** Why an append the store had accepted for writing failed. */
  public enum FailureReason {
    /** Too many bytes wait for the disk. */
    OVERLOADED,
    /** The store is closing. */
    CLOSING,
    /** RocksDB refused the write (full disk, I/O error) or refuses writes until reopened. */
    WRITE_FAILED,
    /** The shard was deleted meanwhile, or an externally chosen LSN would leave a gap. */
    REJECTED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Timer appendLatency;
  private final Timer groupCommitSync;
  private final DistributionSummary groupCommitBatches;
  private final DistributionSummary groupCommitBytes;
  private final Timer commitDelay;
  private final Timer journalCheckpoint;
  private final Timer journalWriteBack;
  private final Map<String, StreamMeters> streams = new ConcurrentHashMap<>();
  // Gauges hold their object weakly: these keep what they read alive as long as the store.
  private volatile StorageProbe probe;
  private final Map<String, DiskUsage> diskUsages = new ConcurrentHashMap<>();

  public StoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    appendLatency =
        Timer.builder(APPEND_LATENCY)
            .description(
                "Time from an append reaching the store to its acknowledgement: queueing, the"
                    + " group's write and its WAL fsync")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    groupCommitSync =
        Timer.builder(GROUP_COMMIT_SYNC)
            .description(
                "Time of one group commit's write and fsync: RocksDB's write and WAL sync, or the"
                    + " segment log's syncs (without the fsync in unsafe-skip-fsync mode)")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    groupCommitBatches =
        DistributionSummary.builder(GROUP_COMMIT_BATCHES)
            .description("Batches made durable by one group commit's fsync")
            .serviceLevelObjectives(GROUP_BATCH_BUCKETS)
            .register(registry);
    groupCommitBytes =
        DistributionSummary.builder(GROUP_COMMIT_BYTES)
            .description(
                "Bytes written by one group commit (RocksDB: keys and stored batches; segments:"
                    + " payloads)")
            .baseUnit("bytes")
            .serviceLevelObjectives(GROUP_BYTES_BUCKETS)
            .register(registry);
    commitDelay =
        Timer.builder(COMMIT_DELAY)
            .description(
                "Time the store's writer waited for more appends to share a group's fsync"
                    + " (store-commit-delay-us), once per wait")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    journalCheckpoint =
        Timer.builder(JOURNAL_CHECKPOINT)
            .description(
                "Time the segment writer took no appends while it checkpointed the shared journal"
                    + " (synced the shards' segments it covers and started it again)")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    journalWriteBack =
        Timer.builder(JOURNAL_WRITEBACK)
            .description(
                "Time of one background write-back of the segments the shared journal covers"
                    + " (appends go on meanwhile)")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
  }

  /** Meters that go nowhere, for stores opened without a registry. */
  public static StoreMetrics disabled() {
    return new StoreMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An append became durable and was acknowledged. */
  public void appended(String stream, int records, long payloadBytes, long latencyNanos) {
    StreamMeters meters = stream(stream);
    meters.appendBatches.increment();
    meters.appendRecords.increment(records);
    meters.appendBytes.increment(payloadBytes);
    appendLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** An append the store had accepted failed. */
  public void appendFailed(String stream, FailureReason reason) {
    stream(stream).failures(reason).increment();
  }

  /** One group commit was written (and fsync'd unless unsafe). */
  public void groupCommitted(int batches, long bytes, long writeNanos) {
    groupCommitBatches.record(batches);
    groupCommitBytes.record(bytes);
    groupCommitSync.record(writeNanos, TimeUnit.NANOSECONDS);
  }

  /** The writer waited this long for more appends to join a group (the commit delay). */
  public void commitDelayed(long nanos) {
    commitDelay.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The segment writer took no appends for this long: a checkpoint of the shared journal. */
  public void journalCheckpointed(long nanos) {
    journalCheckpoint.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The segments the shared journal covers were written back in the background in this long. */
  public void journalWrittenBack(long nanos) {
    journalWriteBack.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Batches were read from a stream's shard (by a reader, a subscription, a search). */
  public void read(String stream, int batches, long payloadBytes) {
    if (batches > 0) {
      StreamMeters meters = stream(stream);
      meters.readBatches.increment(batches);
      meters.readBytes.increment(payloadBytes);
    }
  }

  /** Removes a deleted stream's meters so that labels follow the live streams. */
  public void streamDeleted(String stream) {
    diskUsages.remove(stream);
    StreamMeters meters = streams.remove(stream);
    if (meters != null) {
      meters.remove();
    }
  }

  /** Registers the gauges that read the open store; called once when it opens. */
  public void bind(StorageProbe probe) {
    this.probe = probe;
    Gauge.builder(APPEND_QUEUE, probe, StorageProbe::queuedAppendBytes)
        .description("Bytes of appends waiting for the store's writer")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(WRITES_REFUSED, probe, p -> p.refusesWrites() ? 1 : 0)
        .description(
            "1 while the store refuses writes after a failed write (e.g. a full disk) until it"
                + " could reopen, else 0")
        .register(registry);
    Gauge.builder(STREAMS, probe, StorageProbe::streams)
        .description("Streams in the store")
        .register(registry);
    Gauge.builder(SHARDS, probe, StorageProbe::shards)
        .description("Shards of all streams in the store")
        .register(registry);
    Gauge.builder(SST_FILES, probe, p -> p.rocksProperty("rocksdb.total-sst-files-size"))
        .description("Size of all RocksDB table files (every column family)")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(MEMTABLES, probe, p -> p.rocksProperty("rocksdb.cur-size-all-mem-tables"))
        .description("Size of RocksDB's active and unflushed immutable memtables")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(
            PENDING_COMPACTION,
            probe,
            p -> p.rocksProperty("rocksdb.estimate-pending-compaction-bytes"))
        .description(
            "Bytes RocksDB estimates compaction must rewrite; writes slow down and stop as it grows")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(WRITE_STOPPED, probe, p -> p.rocksProperty("rocksdb.is-write-stopped"))
        .description("1 while RocksDB stops writes (too many memtables, L0 files or pending bytes)")
        .register(registry);
    Gauge.builder(
            DELAYED_WRITE_RATE, probe, p -> p.rocksProperty("rocksdb.actual-delayed-write-rate"))
        .description("Rate RocksDB limits writes to while it delays them (0 when not delayed)")
        .baseUnit("bytes.per.second")
        .register(registry);
    FunctionCounter.builder(STALL_TIME, probe, p -> p.stallMicros() / 1e6)
        .description("Time writes spent stalled or delayed by RocksDB")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(BLOCK_CACHE_USAGE, probe, p -> p.rocksProperty("rocksdb.block-cache-usage"))
        .description("Memory held by RocksDB's block cache")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder(BLOCK_CACHE_HITS, probe, StorageProbe::blockCacheHits)
        .description("Lookups served by RocksDB's block cache")
        .register(registry);
    FunctionCounter.builder(BLOCK_CACHE_MISSES, probe, StorageProbe::blockCacheMisses)
        .description("Lookups RocksDB's block cache missed (read from files)")
        .register(registry);
  }

  /**
   * Registers the disk-usage gauge of a stream (idempotent); its value comes from {@code usage},
   * which the caller refreshes at most every few seconds.
   */
  public void trackDiskUsage(String stream, DiskUsage usage) {
    diskUsages.put(stream, usage);
    stream(stream).diskUsage(usage);
  }

  private StreamMeters stream(String name) {
    StreamMeters meters = streams.get(name);
    return meters != null ? meters : streams.computeIfAbsent(name, StreamMeters::new);
  }

  /** Bytes a stream's batches take on disk, by stream name. */
  public interface DiskUsage {
    /** The approximate bytes of the stream, or NaN when unknown. */
    double bytes(String stream);
  }

  private final class StreamMeters {
    final String stream;
    final Counter appendBatches;
    final Counter appendRecords;
    final Counter appendBytes;
    final Counter readBatches;
    final Counter readBytes;
    // Every reason is registered up front, so that dashboards see zeros rather than no series.
    private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
    private final List<Meter> extra = new ArrayList<>();
    private volatile boolean diskTracked;

    StreamMeters(String stream) {
      this.stream = stream;
      appendBatches =
          Counter.builder(APPEND_BATCHES)
              .description("Batches appended durably (one per Append request or MQTT batch)")
              .tag(STREAM, stream)
              .register(registry);
      appendRecords =
          Counter.builder(APPEND_RECORDS)
              .description("Records appended durably")
              .tag(STREAM, stream)
              .register(registry);
      appendBytes =
          Counter.builder(APPEND_BYTES)
              .description("Payload bytes appended durably, as received (compressed or not)")
              .baseUnit("bytes")
              .tag(STREAM, stream)
              .register(registry);
      readBatches =
          Counter.builder(READ_BATCHES)
              .description("Batches read from the stream by readers and subscriptions")
              .tag(STREAM, stream)
              .register(registry);
      readBytes =
          Counter.builder(READ_BYTES)
              .description("Payload bytes read from the stream by readers and subscriptions")
              .baseUnit("bytes")
              .tag(STREAM, stream)
              .register(registry);
      for (FailureReason reason : FailureReason.values()) {
        failures.put(
            reason,
            Counter.builder(APPEND_FAILURES)
                .description(
                    "Appends the store accepted but failed, by reason: overloaded, closing,"
                        + " write_failed, rejected")
                .tag(STREAM, stream)
                .tag(REASON, reason.label())
                .register(registry));
      }
    }

    Counter failures(FailureReason reason) {
      return failures.get(reason);
    }

    synchronized void diskUsage(DiskUsage usage) {
      if (diskTracked) {
        return;
      }
      diskTracked = true;
      extra.add(
          Gauge.builder(STREAM_DISK, usage, u -> u.bytes(stream))
              .description(
                  "Approximate bytes the stream's batches take in RocksDB (files and memtables),"
                      + " refreshed at most every 10 s")
              .baseUnit("bytes")
              .tag(STREAM, stream)
              .register(registry));
    }

    synchronized void remove() {
      List<Meter> meters = new ArrayList<>(extra);
      meters.add(appendBatches);
      meters.add(appendRecords);
      meters.add(appendBytes);
      meters.add(readBatches);
      meters.add(readBytes);
      meters.addAll(failures.values());
      meters.forEach(registry::remove);
    }
  }
}
