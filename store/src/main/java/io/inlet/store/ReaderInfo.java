package io.inlet.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A shard reader's settings and where it reads next, kept so a reader resumes where it was after a
 * restart. {@code nextLsn}/{@code nextIndex} start at the creation offset and move as ReadShard
 * hands out batches ({@link ReaderCatalog#savePosition}).
 */
public record ReaderInfo(
    String readerId,
    String streamName,
    long shardId,
    long startLsn,
    int timeoutMs,
    Instant createdAt,
    long nextLsn,
    int nextIndex) {

  /** A reader that has read nothing yet: it reads next from the start of {@code startLsn}. */
  public ReaderInfo(
      String readerId,
      String streamName,
      long shardId,
      long startLsn,
      int timeoutMs,
      Instant createdAt) {
    this(readerId, streamName, shardId, startLsn, timeoutMs, createdAt, startLsn, 0);
  }

  /**
   * This reader as a catalog keeps it: created at its {@code createdAt}, or {@code now} when it has
   * none, to the millisecond.
   */
  public ReaderInfo stamped(Instant now) {
    Instant created = createdAt == null ? now : createdAt;
    return new ReaderInfo(
        readerId,
        streamName,
        shardId,
        startLsn,
        timeoutMs,
        created.truncatedTo(ChronoUnit.MILLIS),
        nextLsn,
        nextIndex);
  }

  /** This reader, reading next from record {@code nextIndex} of batch {@code nextLsn}. */
  public ReaderInfo movedTo(long nextLsn, int nextIndex) {
    return new ReaderInfo(
        readerId, streamName, shardId, startLsn, timeoutMs, createdAt, nextLsn, nextIndex);
  }
}
