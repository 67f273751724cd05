package io.inlet.store;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The store's settings: where it keeps its files, how often retention runs, group commit, and the
 * unsafe switch that acknowledges before fsync. The server turns them into {@link StoreOptions}.
 */
public final class StoreConfigKeys {
  private StoreConfigKeys() {}

  public static final Option<Path> DATA_DIR =
      Option.of(
          "data-dir",
          "path",
          "",
          "./data",
          "Directory of the stream store (RocksDB); created if missing. A new store is created"
              + " only in an empty directory; `inlet server repair` checks and repairs one.",
          ValueParsers.path());

  public static final Option<Duration> RETENTION_CHECK_INTERVAL =
      Option.of(
          "retention-check-interval",
          "duration",
          "ms, s, m, h, d",
          "60s",
          "How often records older than their stream's backlog duration are deleted.",
          ValueParsers.duration(Duration.ofMillis(10)));

  public static final Option<Integer> STORE_MAX_QUEUED_BYTES =
      Option.of(
          "store-max-queued-bytes",
          "size",
          "bytes",
          "256MiB",
          "Appends waiting for the store's writer, in bytes, beyond which new appends are refused"
              + " (\"store is overloaded\", gRPC UNAVAILABLE), so a slow disk cannot exhaust the"
              + " heap.",
          ValueParsers.byteSize(1 << 20, Integer.MAX_VALUE));

  public static final Option<Integer> STORE_GROUP_MAX_BYTES =
      Option.of(
          "store-group-max-bytes",
          "size",
          "bytes",
          "32MiB",
          "Group commit: bytes the store writes with one write and one fsync at most; a group"
              + " closes once it holds this much.",
          ValueParsers.byteSize(64 << 10, 1 << 30));

  public static final Option<Integer> STORE_GROUP_MAX_OPS =
      Option.of(
          "store-group-max-ops",
          "integer",
          "",
          "4096",
          "Group commit: appends (and other writes) the store takes into one group at most.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Integer> STORE_ACK_THREADS =
      Option.of(
          "store-ack-threads",
          "integer",
          "",
          "1",
          "Threads that complete appends once their group is durable and wake tailing readers."
              + " With more than one, the acknowledgements of consecutive groups may go out in"
              + " either order.",
          ValueParsers.intRange(1, 16));

  private static final int MAX_COMMIT_DELAY_US =
      (int) (StoreOptions.GroupCommit.MAX_COMMIT_DELAY.toNanos() / 1000);

  public static final Option<Integer> STORE_COMMIT_DELAY_US =
      Option.of(
          "store-commit-delay-us",
          "integer",
          "µs",
          String.valueOf(StoreOptions.GroupCommit.DEFAULT_COMMIT_DELAY.toNanos() / 1000),
          "Group commit: the longest an append that finds the store's writer idle waits for"
              + " others to share its write and fsync (0 to "
              + MAX_COMMIT_DELAY_US
              + "; 0 writes at once). The writer waits only for as many appends as its last group"
              + " held (at most "
              + (StoreOptions.GroupCommit.COMMIT_DELAY_GROUP_TARGET - 1)
              + " besides the first), and the one that completes them ends the wait: a client"
              + " that appends one record at a time and waits for each answer never waits, and"
              + " clients in lockstep wait only for the last of them. At a moderate rate of small"
              + " appends or QoS 1 publishes from many clients one fsync then covers several,"
              + " for less CPU per append and at most this much more latency; under load groups"
              + " fill without it. Applies to the local shards of either `shard-storage`.",
          ValueParsers.intRange(0, MAX_COMMIT_DELAY_US));

  public static final Option<Optional<ShardStorage>> SHARD_STORAGE =
      Option.of(
          "shard-storage",
          "storage",
          "",
          "<what the data dir holds; segments for a new one>",
          "Where the entries of local shards are kept (a single node's, and those of streams"
              + " with replicationFactor 1 in a cluster): `segments`, append-only files under"
              + " data-dir/segments that write each payload byte once (with O_DIRECT where the"
              + " filesystem allows it; small groups of appends are made durable through one"
              + " shared journal), or `rocksdb` (through its WAL, memtables and compactions, which"
              + " write each payload byte about four times; its damage checks and `inlet server"
              + " repair` cover the entries too). Streams and all metadata are in RocksDB either"
              + " way. A data directory keeps the storage it was created with: unset, a node uses"
              + " what its data dir holds (`rocksdb` for one created before 2026-12), and setting"
              + " the other one is refused.",
          ValueParsers.oneOf(new LinkedHashSet<>(List.of("rocksdb", "segments")))
              .andThen(key -> Optional.of(ShardStorage.of(key))));

  public static final Option<Integer> OPEN_SEALED_SEGMENTS =
      Option.of(
          "open-sealed-segments",
          "integer",
          "files",
          String.valueOf(SegmentLogOptions.DEFAULT_OPEN_SEALED_SEGMENTS),
          "Sealed segment files (of all shards) each segment log keeps open between reads: the"
              + " local shards' log under data-dir/segments and, on a cluster node, the replicas'"
              + " under data-dir/replicas each keep up to this many. Beyond it the least recently"
              + " read are closed, and opened again by their next read. Active segments are"
              + " always open (one or two files per shard), so a node holds about twice this plus"
              + " two files per shard, plus RocksDB's and the sockets: lower it when many shards"
              + " press on the process's open-files limit (`ulimit -n`); 0 closes a sealed"
              + " segment once no read uses it.",
          ValueParsers.intRange(0, 1_000_000));

  public static final Option<Boolean> UNSAFE_SKIP_FSYNC =
      Option.of(
          "unsafe-skip-fsync",
          "boolean",
          "",
          "false",
          "UNSAFE: acknowledge appends before they are fsync'd; a crash loses acknowledged"
              + " records. For benchmarks only.",
          ValueParsers.bool());

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          DATA_DIR,
          RETENTION_CHECK_INTERVAL,
          STORE_MAX_QUEUED_BYTES,
          STORE_GROUP_MAX_BYTES,
          STORE_GROUP_MAX_OPS,
          STORE_ACK_THREADS,
          STORE_COMMIT_DELAY_US,
          SHARD_STORAGE,
          OPEN_SEALED_SEGMENTS,
          UNSAFE_SKIP_FSYNC);

  /** The group-commit limits from the settings. */
  public static StoreOptions.GroupCommit groupCommit(OptionValues values) {
    return new StoreOptions.GroupCommit(
        values.get(STORE_MAX_QUEUED_BYTES),
        values.get(STORE_GROUP_MAX_BYTES),
        values.get(STORE_GROUP_MAX_OPS),
        values.get(STORE_ACK_THREADS),
        Duration.ofNanos(values.get(STORE_COMMIT_DELAY_US) * 1000L));
  }
}
