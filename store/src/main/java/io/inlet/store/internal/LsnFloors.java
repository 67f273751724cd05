package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.internal.StoreMarker.ShardFloor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the per-shard LSN floors and acknowledged LSNs of the {@link StoreMarker} up to date, so
 * that no LSN is handed out twice and lost acknowledged data is noticed at the next open, whatever
 * happened to RocksDB's own files.
 *
 * <ul>
 *   <li>Before a write hands out an LSN above a shard's floor, the floor is raised by {@link #STEP}
 *       and the marker written (fsync'd): one extra small write per {@code STEP} appends of a
 *       shard, none per append.
 *   <li>At most every {@code interval}, the writer records how far each shard is acknowledged.
 *       Recovery that comes back with less refuses to open ({@link RecoveryCheck}).
 *   <li>A clean close records exact values, so the next open continues without a gap; after a crash
 *       the next LSN is above the floor, skipping at most {@code STEP} LSNs.
 * </ul>
 *
 * Writer thread only once the store is open.
 */
final class LsnFloors {
  private static final Logger log = LoggerFactory.getLogger(LsnFloors.class);

  /** How far ahead of the LSNs handed out a floor is raised. */
  static final long STEP = 1L << 20;

  private final Path dir;
  private final ShardRegistry registry;
  private final long intervalNanos;
  // Shards the marker names that no stream has (their metadata lost and repaired away): kept, so
  // that a shard given the same id again continues above them.
  private final Map<Long, ShardFloor> orphans;
  private StoreMarker written;
  private long nextPeriodicNanos;
  private boolean periodicFailing;
  private volatile boolean started;

  LsnFloors(Path dir, StoreMarker marker, ShardRegistry registry, Duration interval) {
    this.dir = dir;
    this.written = marker;
    this.registry = registry;
    this.intervalNanos = interval.toNanos();
    this.orphans = new HashMap<>(marker.shards());
    this.nextPeriodicNanos = System.nanoTime() + intervalNanos;
  }

  /**
   * At open, after the shards' positions are recovered and before any append: every shard continues
   * after the higher of its last stored LSN and its floor; the marker records that, with floors a
   * {@link #STEP} ahead.
   *
   * @param entriesHere whether the shards' entries are in RocksDB: with {@code shard-storage
   *     segments} the segment log gives the LSNs, and skipping some here means nothing to report
   * @throws StoreUnavailableException when the marker cannot be written
   */
  void start(boolean entriesHere) {
    for (ShardState shard : registry.all()) {
      ShardFloor before = orphans.remove(shard.shardId);
      long floor = before == null ? 0 : before.floor();
      long nextAfter = Math.max(shard.durableLsn(), floor);
      if (entriesHere && nextAfter > shard.durableLsn()) {
        log.info(
            "shard {}: LSNs {} to {} may have been handed out before a crash and are skipped",
            shard.shardId,
            shard.durableLsn() + 1,
            nextAfter);
      }
      shard.continueAfter(nextAfter, nextAfter + STEP);
    }
    writeOrThrow(Map.of(), "record the LSN floors");
    started = true;
  }

  /**
   * Raises the floor of every shard about to hand out an LSN above it; called by the writer before
   * the write that holds those LSNs.
   *
   * @throws StoreUnavailableException when the marker cannot be written: then no LSN above the old
   *     floors may be used
   */
  void reserve(List<ShardState> shards) {
    Map<Long, Long> raised = null;
    for (ShardState shard : shards) {
      if (shard.appendedLsn > shard.floorLsn) {
        if (raised == null) {
          raised = new HashMap<>();
        }
        raised.put(shard.shardId, shard.appendedLsn + STEP);
      }
    }
    if (raised == null) {
      return;
    }
    writeOrThrow(raised, "raise the LSN floor");
    for (ShardState shard : shards) {
      Long floor = raised.get(shard.shardId);
      if (floor != null) {
        shard.floorLsn = floor;
      }
    }
  }

  /** Records the acknowledged LSNs when {@code interval} has passed and any of them moved. */
  void persistIfDue() {
    if (!started) {
      return;
    }
    long now = System.nanoTime();
    if (now - nextPeriodicNanos < 0) {
      return;
    }
    nextPeriodicNanos = now + intervalNanos;
    if (content(Map.of()).equals(written.shards())) {
      return;
    }
    try {
      write(Map.of());
      if (periodicFailing) {
        periodicFailing = false;
        log.info("store marker {} written again", dir.resolve(StoreMarker.FILE_NAME));
      }
    } catch (IOException e) {
      if (!periodicFailing) {
        periodicFailing = true;
        log.warn(
            "cannot record acknowledged LSNs in {}: {}; retrying",
            dir.resolve(StoreMarker.FILE_NAME),
            e.toString());
      }
    }
  }

  /**
   * Drops the shards of a deleted stream; called before the stream's metadata is deleted.
   *
   * @throws StoreUnavailableException when the marker cannot be written
   */
  void forget(Collection<Long> shardIds) {
    Map<Long, ShardFloor> next = content(Map.of());
    shardIds.forEach(next::remove);
    shardIds.forEach(orphans::remove);
    try {
      StoreMarker marker = written.withShards(next);
      marker.write(dir);
      written = marker;
    } catch (IOException e) {
      throw failed("forget the LSN floors of a deleted stream", e);
    }
  }

  /**
   * At a clean close, once the writer has stopped: floors equal to the last LSN handed out, so the
   * next open continues without a gap.
   */
  void persistOnClose() {
    if (!started) {
      return;
    }
    Map<Long, ShardFloor> exact = new TreeMap<>(orphans);
    for (ShardState shard : registry.all()) {
      exact.put(shard.shardId, new ShardFloor(shard.committedLsn, shard.durableLsn()));
    }
    try {
      StoreMarker marker = written.withShards(exact);
      marker.write(dir);
      written = marker;
    } catch (IOException e) {
      log.warn(
          "cannot record the LSN floors at close in {}: {}; the next open skips ahead instead",
          dir.resolve(StoreMarker.FILE_NAME),
          e.toString());
    }
  }

  private Map<Long, ShardFloor> content(Map<Long, Long> raised) {
    Map<Long, ShardFloor> shards = new TreeMap<>(orphans);
    for (ShardState shard : registry.all()) {
      long floor = raised.getOrDefault(shard.shardId, shard.floorLsn);
      shards.put(shard.shardId, new ShardFloor(floor, shard.durableLsn()));
    }
    return shards;
  }

  private void write(Map<Long, Long> raised) throws IOException {
    StoreMarker marker = written.withShards(content(raised));
    marker.write(dir);
    written = marker;
  }

  private void writeOrThrow(Map<Long, Long> raised, String what) {
    try {
      write(raised);
    } catch (IOException e) {
      throw failed(what, e);
    }
  }

  private StoreUnavailableException failed(String what, IOException e) {
    String reason = String.valueOf(e.getMessage());
    if (reason.toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
      reason = "the disk is full (" + reason + ")";
    }
    return new StoreUnavailableException(
        "cannot "
            + what
            + " in "
            + dir.resolve(StoreMarker.FILE_NAME)
            + ": "
            + reason
            + "; nothing was written",
        e);
  }
}
