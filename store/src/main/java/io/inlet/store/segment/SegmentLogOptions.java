package io.inlet.store.segment;

import java.time.Duration;

/**
 * Limits of a segment log.
 *
 * @param segmentBytes a shard's active segment is sealed and a new one started once it reaches this
 *     size
 * @param indexIntervalBytes the sparse index gets one (LSN, position) pair per this many bytes of
 *     entries
 * @param maxEntryBytes the largest payload an entry may have
 * @param maxGroupBytes a group commit stops taking entries beyond this many payload bytes
 * @param directWrites whether the active segments are written with {@code O_DIRECT} (where the
 *     filesystem allows it) rather than through the page cache
 * @param journalBytes the size the shared journal grows to before it starts again from its
 *     beginning ({@link SharedJournal}); 0 for no journal (every group syncs each segment it wrote)
 * @param journalGroupBytes a group commit whose journal frame (entries and their headers) takes at
 *     most this many bytes is made durable through the journal; larger ones sync their segments
 * @param commitDelayNanos the longest an append that finds the writer idle waits for others to
 *     share its group ({@link io.inlet.store.commit.CommitDelay}); 0 for no wait
 * @param unsafeSkipFsync UNSAFE, for benchmarks: appends are acknowledged once written, before any
 *     fsync, so a power cut loses acknowledged entries (a process crash does not: the page cache
 *     survives it). Checkpoints, truncations and closing still sync.
 * @param openSealedSegments how many sealed segments (of all shards) keep their file open between
 *     reads; beyond it the least recently read are closed and opened again by the next read of
 *     them. Active segments are always open, so a log holds about this plus one or two files per
 *     shard.
 */
public record SegmentLogOptions(
    long segmentBytes,
    int indexIntervalBytes,
    int maxEntryBytes,
    long maxGroupBytes,
    boolean directWrites,
    long journalBytes,
    int journalGroupBytes,
    long commitDelayNanos,
    boolean unsafeSkipFsync,
    int openSealedSegments) {
  /** The journal's size when none is set. */
  public static final long DEFAULT_JOURNAL_BYTES = 32L << 20;

  /** Sealed segments kept open between reads when no other number is set. */
  public static final int DEFAULT_OPEN_SEALED_SEGMENTS = 1024;

  /** The largest journal frame when none is set. */
  public static final int DEFAULT_JOURNAL_GROUP_BYTES = 64 << 10;

  public static final SegmentLogOptions DEFAULTS =
      new SegmentLogOptions(128L << 20, 64 << 10, 32 << 20, 64L << 20);

  /** Limits with direct writes and the default journal. */
  public SegmentLogOptions(
      long segmentBytes, int indexIntervalBytes, int maxEntryBytes, long maxGroupBytes) {
    this(segmentBytes, indexIntervalBytes, maxEntryBytes, maxGroupBytes, true);
  }

  /** Limits with the default journal. */
  public SegmentLogOptions(
      long segmentBytes,
      int indexIntervalBytes,
      int maxEntryBytes,
      long maxGroupBytes,
      boolean directWrites) {
    this(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        directWrites,
        DEFAULT_JOURNAL_BYTES,
        DEFAULT_JOURNAL_GROUP_BYTES,
        0,
        false,
        DEFAULT_OPEN_SEALED_SEGMENTS);
  }

  /** These limits, with or without direct writes. */
  public SegmentLogOptions withDirectWrites(boolean direct) {
    return new SegmentLogOptions(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        direct,
        journalBytes,
        journalGroupBytes,
        commitDelayNanos,
        unsafeSkipFsync,
        openSealedSegments);
  }

  /** These limits with a journal of {@code bytes} (0: none) taking frames up to {@code group}. */
  public SegmentLogOptions withJournal(long bytes, int group) {
    return new SegmentLogOptions(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        directWrites,
        bytes,
        group,
        commitDelayNanos,
        unsafeSkipFsync,
        openSealedSegments);
  }

  /** These limits with a commit delay of {@code delay} (0: none). */
  public SegmentLogOptions withCommitDelay(Duration delay) {
    return new SegmentLogOptions(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        directWrites,
        journalBytes,
        journalGroupBytes,
        delay.toNanos(),
        unsafeSkipFsync,
        openSealedSegments);
  }

  /** These limits, acknowledging appends before any fsync when {@code skip} (UNSAFE). */
  public SegmentLogOptions withUnsafeSkipFsync(boolean skip) {
    return new SegmentLogOptions(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        directWrites,
        journalBytes,
        journalGroupBytes,
        commitDelayNanos,
        skip,
        openSealedSegments);
  }

  /** These limits, keeping up to {@code count} sealed segments open between reads. */
  public SegmentLogOptions withOpenSealedSegments(int count) {
    return new SegmentLogOptions(
        segmentBytes,
        indexIntervalBytes,
        maxEntryBytes,
        maxGroupBytes,
        directWrites,
        journalBytes,
        journalGroupBytes,
        commitDelayNanos,
        unsafeSkipFsync,
        count);
  }

  public boolean journaled() {
    return journalBytes > 0;
  }

  public SegmentLogOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be >= 4096, found: " + segmentBytes);
    }
    if (indexIntervalBytes < 1) {
      throw new IllegalArgumentException(
          "indexIntervalBytes must be >= 1, found: " + indexIntervalBytes);
    }
    if (maxEntryBytes < 1) {
      throw new IllegalArgumentException("maxEntryBytes must be >= 1, found: " + maxEntryBytes);
    }
    if (maxGroupBytes < 1) {
      throw new IllegalArgumentException("maxGroupBytes must be >= 1, found: " + maxGroupBytes);
    }
    if (commitDelayNanos < 0) {
      throw new IllegalArgumentException(
          "commitDelayNanos must be >= 0, found: " + commitDelayNanos);
    }
    if (openSealedSegments < 0) {
      throw new IllegalArgumentException(
          "openSealedSegments must be >= 0, found: " + openSealedSegments);
    }
    if (journalBytes < 0) {
      throw new IllegalArgumentException("journalBytes must be >= 0, found: " + journalBytes);
    }
    if (journalBytes > 0 && journalGroupBytes < 1) {
      throw new IllegalArgumentException(
          "journalGroupBytes must be >= 1, found: " + journalGroupBytes);
    }
    if (journalBytes > 0 && journalBytes < SharedJournal.minimumBytes(journalGroupBytes)) {
      throw new IllegalArgumentException(
          "journalBytes must be >= "
              + SharedJournal.minimumBytes(journalGroupBytes)
              + " for frames of "
              + journalGroupBytes
              + " bytes, found: "
              + journalBytes);
    }
  }
}
