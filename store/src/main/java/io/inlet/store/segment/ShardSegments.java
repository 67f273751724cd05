package io.inlet.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One shard's log: its segments in a directory of their own, the active (last) one taking appends.
 * The writer thread stages and writes entries, the flusher (or for a journaled group, at times the
 * writer itself) syncs them ({@link SyncPoint}), in the segment or in the shared journal; {@link
 * #durableLsn()} moves only after the sync. Readers read up to the durable LSN from any thread;
 * trims delete whole sealed segments.
 */
final class ShardSegments {
  private final long shardId;
  private final Path dir;
  private final SegmentLogOptions options;
  private final SealedFiles sealedFiles;
  private final NavigableMap<Long, SegmentFile> segments = new ConcurrentSkipListMap<>();
  private final Object trimLock = new Object();

  private SegmentFile active; // writer thread only
  private long nextLsn; // writer thread only
  private volatile long durableLsn;

  /**
   * The last LSN fsync'd in the segments themselves (not only in the journal): what each entry's
   * header names as durable, so that recovery of a segment alone can tell a torn tail from damage.
   */
  private volatile long syncedLsn;

  private final List<ByteBuffer> stagedBuffers = new ArrayList<>();
  private long[] stagedLsns = new long[64];
  private int[] stagedBytes = new int[64];
  private int stagedCount;
  private long stagedSize;

  /** A shard of recovered segments (all but the last sealed already). */
  ShardSegments(
      long shardId,
      Path dir,
      SegmentLogOptions options,
      SealedFiles sealedFiles,
      List<SegmentFile> recovered) {
    this.shardId = shardId;
    this.dir = dir;
    this.options = options;
    this.sealedFiles = sealedFiles;
    for (SegmentFile segment : recovered) {
      segments.put(segment.baseLsn(), segment);
    }
    this.active = segments.lastEntry().getValue();
    this.nextLsn = active.lastLsn() + 1;
    this.durableLsn = active.lastLsn();
    this.syncedLsn = durableLsn;
  }

  /** Opens the active segment for appends; before the first write. Writer or opening thread. */
  ShardSegments startAppending() throws IOException {
    active.startAppending(options.directWrites());
    return this;
  }

  /** A new shard directory with one empty segment starting at LSN 1, synced. */
  static ShardSegments create(
      Path root, long shardId, SegmentLogOptions options, SealedFiles sealedFiles)
      throws IOException {
    return create(root, shardId, options, sealedFiles, 1);
  }

  /** A new shard directory with one empty segment starting at {@code firstLsn}, synced. */
  static ShardSegments create(
      Path root, long shardId, SegmentLogOptions options, SealedFiles sealedFiles, long firstLsn)
      throws IOException {
    Path dir = root.resolve(directoryName(shardId));
    Files.createDirectories(dir);
    SegmentFile first =
        SegmentFile.create(dir, firstLsn, options.indexIntervalBytes(), sealedFiles);
    Directories.sync(dir);
    Directories.sync(root);
    return new ShardSegments(shardId, dir, options, sealedFiles, List.of(first)).startAppending();
  }

  static String directoryName(long shardId) {
    return "shard-" + Long.toUnsignedString(shardId);
  }

  /** Gives {@code entry} the next LSN and stages it for the next write. Writer thread only. */
  long stage(SegmentEntry entry) throws IOException {
    int entryBytes = EntryHeader.BYTES + entry.payload().length;
    long activeSize = active.writtenSize() + stagedSize;
    if (activeSize > 0 && activeSize + entryBytes > options.segmentBytes()) {
      roll();
    }
    long lsn = nextLsn++;
    ByteBuffer header = ByteBuffer.allocate(EntryHeader.BYTES);
    EntryHeader.write(header, lsn, syncedLsn, entry);
    stagedBuffers.add(header.flip());
    if (entry.payload().length > 0) {
      stagedBuffers.add(ByteBuffer.wrap(entry.payload()));
    }
    if (stagedCount == stagedLsns.length) {
      stagedLsns = Arrays.copyOf(stagedLsns, stagedCount * 2);
      stagedBytes = Arrays.copyOf(stagedBytes, stagedCount * 2);
    }
    stagedLsns[stagedCount] = lsn;
    stagedBytes[stagedCount] = entryBytes;
    stagedCount++;
    stagedSize += entryBytes;
    return lsn;
  }

  /**
   * Writes what is staged to the active segment (not yet synced) and returns what a sync must cover
   * for it to be durable; {@code journaled} when the shared journal holds what is staged (it is
   * then written through the page cache). Writer thread only.
   */
  SyncPoint write(boolean journaled) throws IOException {
    writeStaged(journaled);
    return syncPoint();
  }

  /** What a sync must cover for everything written so far to be durable. Writer thread only. */
  SyncPoint syncPoint() {
    return new SyncPoint(this, active, active.writtenSize(), nextLsn - 1);
  }

  /**
   * fsyncs the active segment as recovery found it (sealed ones were synced before their successor
   * was created): after a crash what recovery read may have been in the page cache only. Its bytes
   * from {@code rewriteFrom} on (of the file at that path) are written again first, see {@link
   * SegmentFile#syncRecovered}; none when the map names another file.
   */
  void syncRecovered(Map<Path, Long> rewriteFrom) throws IOException {
    active.syncRecovered(rewriteFrom.getOrDefault(active.path(), active.writtenSize()));
  }

  /** The active segment and the bytes of it known to be on disk, for {@link #syncRecovered}. */
  Map.Entry<Path, Long> syncedPart() {
    return Map.entry(active.path(), active.syncedSize());
  }

  /** The LSN the next append gets. Writer or opening thread. */
  long nextLsn() {
    return nextLsn;
  }

  /**
   * What one write left to sync: the first {@code size} bytes of {@code segment}, after which the
   * shard's entries up to {@code lastLsn} are durable.
   */
  record SyncPoint(ShardSegments shard, SegmentFile segment, long size, long lastLsn) {
    /** fsyncs the segment up to the point (from any thread). */
    void force() throws IOException {
      segment.force(size);
    }

    /** After {@link #force()}: the shard's entries up to the point become durable and readable. */
    void markSynced() {
      shard.syncedLsn = Math.max(shard.syncedLsn, lastLsn);
      shard.durableLsn = Math.max(shard.durableLsn, lastLsn);
    }

    /**
     * After the shared journal was synced with these entries in it: they become durable and
     * readable; the segment itself is synced later.
     */
    void markJournaled() {
      segment.acknowledge(size);
      shard.durableLsn = Math.max(shard.durableLsn, lastLsn);
    }
  }

  /** Forgets what is staged (after a failed write the log accepts nothing more anyway). */
  void discardStaged() {
    stagedBuffers.clear();
    stagedCount = 0;
    stagedSize = 0;
  }

  private void writeStaged(boolean journaled) throws IOException {
    if (stagedCount == 0) {
      return;
    }
    active.write(
        stagedBuffers,
        Arrays.copyOf(stagedLsns, stagedCount),
        Arrays.copyOf(stagedBytes, stagedCount),
        journaled);
    discardStaged();
  }

  /**
   * Seals the active segment (written, synced, index saved) and starts the next one. The new file's
   * directory entry is synced before anything is acknowledged in it.
   */
  private void roll() throws IOException {
    writeStaged(false);
    active.cutPadding();
    active.force();
    syncedLsn = Math.max(syncedLsn, nextLsn - 1);
    active.saveIndex();
    SegmentFile next = SegmentFile.create(dir, nextLsn, options.indexIntervalBytes(), sealedFiles);
    Directories.sync(dir);
    segments.put(next.baseLsn(), next);
    active.seal();
    active = next;
    active.startAppending(options.directWrites());
  }

  /**
   * Removes every entry with LSN > {@code lsn}, durably: later segments are deleted newest first
   * (no LSN gap appears between the segments kept), the one holding {@code lsn + 1} is cut and
   * becomes the active segment, and the next append gets LSN {@code lsn + 1}. Writer thread only,
   * with nothing staged.
   *
   * @throws SegmentLogException when {@code lsn} is below the oldest kept entry's predecessor
   */
  void truncateAfter(long lsn) throws IOException {
    if (lsn >= nextLsn - 1) {
      return;
    }
    synchronized (trimLock) {
      if (lsn < firstLsn() - 1) {
        throw new SegmentLogException(
            "cannot truncate shard "
                + Long.toUnsignedString(shardId)
                + " after LSN "
                + lsn
                + ": entries up to "
                + (firstLsn() - 1)
                + " were trimmed");
      }
      long keepBase = segments.floorKey(lsn + 1);
      durableLsn = Math.min(durableLsn, lsn);
      for (Long base : segments.descendingKeySet()) {
        if (base <= keepBase) {
          break;
        }
        segments.remove(base).delete();
      }
      active = segments.get(keepBase);
      active.truncateAfter(lsn, options.maxEntryBytes());
      active.startAppending(options.directWrites());
      Directories.sync(dir);
      nextLsn = lsn + 1;
      durableLsn = lsn;
      syncedLsn = lsn;
    }
  }

  /** Up to {@code max} durable entries with LSN >= {@code fromLsn}, in LSN order. */
  List<LoggedEntry> read(long fromLsn, int max) {
    List<LoggedEntry> out = new ArrayList<>(Math.min(max, 1024));
    long upTo = durableLsn;
    long from = Math.max(fromLsn, firstLsn());
    while (out.size() < max && from <= upTo) {
      Map.Entry<Long, SegmentFile> floor = segments.floorEntry(from);
      if (floor == null) {
        from = firstLsn();
        continue;
      }
      SegmentFile segment = floor.getValue();
      int before = out.size();
      try {
        segment.read(from, upTo, max - out.size(), options.maxEntryBytes(), out);
      } catch (ClosedChannelException e) {
        if (segments.get(segment.baseLsn()) == segment) {
          // closed for good while still in the log: the log was closed (or is being reopened)
          throw new SegmentLogException("cannot read " + segment.path() + ": the log is closed", e);
        }
        // trimmed or cut while being read: continue at what is left
        from = Math.max(from, firstLsn());
        continue;
      } catch (IOException e) {
        throw new SegmentLogException("cannot read " + segment.path(), e);
      }
      if (out.size() > before) {
        from = out.get(out.size() - 1).lsn() + 1;
      }
      Long nextBase = segments.higherKey(segment.baseLsn());
      if (out.size() < max && from <= upTo) {
        if (nextBase == null) {
          break;
        }
        from = Math.max(from, nextBase);
      }
    }
    return out;
  }

  /**
   * Deletes every sealed segment whose entries all have LSN < {@code lsn} (capped at the durable
   * LSN), oldest first, and syncs the directory. The active segment is never deleted, so a trim
   * keeps up to one segment's worth of older entries.
   */
  void trimBefore(long lsn) throws IOException {
    long limit = Math.min(lsn, durableLsn + 1);
    synchronized (trimLock) {
      boolean deleted = false;
      for (Map.Entry<Long, SegmentFile> e : segments.entrySet()) {
        Long nextBase = segments.higherKey(e.getKey());
        if (nextBase == null || nextBase > limit) {
          break;
        }
        segments.remove(e.getKey());
        e.getValue().delete();
        deleted = true;
      }
      if (deleted) {
        Directories.sync(dir);
      }
    }
  }

  /**
   * Closes and deletes every segment and index of the shard, then its directory, newest segment
   * first (a crash half-way leaves a shorter log from the same first LSN, never a gap). Writer
   * thread only, with nothing staged.
   */
  void deleteAll() throws IOException {
    synchronized (trimLock) {
      for (Long base : List.copyOf(segments.descendingKeySet())) {
        segments.remove(base).delete();
      }
      try (var left = Files.list(dir)) {
        for (Path file : left.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  /** The LSN of the oldest entry kept (durableLsn + 1 when the shard is empty). */
  long firstLsn() {
    return segments.firstKey();
  }

  long durableLsn() {
    return durableLsn;
  }

  long shardId() {
    return shardId;
  }

  int segmentCount() {
    return segments.size();
  }

  void close() throws IOException {
    IOException failed = null;
    for (SegmentFile segment : segments.values()) {
      try {
        segment.close();
      } catch (IOException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
