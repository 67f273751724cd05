package io.inlet.server.grpc;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TimestampOffset;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;

/**
 * Converts the protocol's offsets ({@link ShardOffset}, {@link StreamOffset}) into positions in a
 * shard's log, and record ids to and from their text form {@code shardId-batchId-batchIndex}.
 */
final class Offsets {
  /** The first LSN a shard can hold. */
  static final long FIRST_LSN = 1;

  private Offsets() {}

  /** Where a read from {@code offset} starts; an unset offset means EARLIEST. */
  static RecordPosition start(ShardLog log, long shardId, ShardOffset offset) {
    if (offset == null) {
      return RecordPosition.batch(FIRST_LSN);
    }
    return switch (offset.getOffsetCase()) {
      case SPECIALOFFSET -> special(log, shardId, offset.getSpecialOffset());
      case RECORDOFFSET -> atRecord(log, shardId, offset.getRecordOffset());
      case TIMESTAMPOFFSET -> atTime(log, shardId, offset.getTimestampOffset());
      case OFFSET_NOT_SET -> RecordPosition.batch(FIRST_LSN);
    };
  }

  /**
   * A read from a record id: the id must name a record of this shard written already, or the first
   * record of the next batch (HStreamDB refuses an offset it cannot place; Inlet says which part is
   * wrong).
   *
   * @throws InletException StreamInvalidOffset for a record of another shard or beyond the tail
   */
  private static RecordPosition atRecord(ShardLog log, long shardId, RecordId id) {
    requireSameShard(shardId, id);
    long lastLsn = log.position(shardId).lastLsn();
    // The batch right after the tail is where the next append goes: reading from it waits.
    if (Long.compareUnsigned(id.getBatchId(), lastLsn + 1) > 0) {
      throw invalidOffset(
          "record offset "
              + format(id)
              + " is beyond the tail of shard "
              + Long.toUnsignedString(shardId)
              + " (its last batch is "
              + Long.toUnsignedString(lastLsn)
              + "); read from LATEST to wait for new records");
    }
    return new RecordPosition(Math.max(FIRST_LSN, id.getBatchId()), id.getBatchIndex());
  }

  private static void requireSameShard(long shardId, RecordId id) {
    if (id.getShardId() != shardId) {
      throw invalidOffset(
          "record offset "
              + format(id)
              + " belongs to shard "
              + Long.toUnsignedString(id.getShardId())
              + ", not to shard "
              + Long.toUnsignedString(shardId)
              + " that is read");
    }
  }

  static RecordPosition start(ShardLog log, long shardId, StreamOffset offset) {
    if (offset == null) {
      return RecordPosition.batch(FIRST_LSN);
    }
    return switch (offset.getOffsetCase()) {
      case SPECIALOFFSET -> special(log, shardId, offset.getSpecialOffset());
      case TIMESTAMPOFFSET -> atTime(log, shardId, offset.getTimestampOffset());
      case OFFSET_NOT_SET -> RecordPosition.batch(FIRST_LSN);
    };
  }

  /** Where a read up to {@code offset} stops; an unset offset means it never stops. */
  static ReadBound until(ShardLog log, long shardId, ShardOffset offset) {
    if (offset == null) {
      return ReadBound.NONE;
    }
    return switch (offset.getOffsetCase()) {
      case SPECIALOFFSET -> specialBound(log, shardId, offset.getSpecialOffset());
      case RECORDOFFSET -> {
        requireSameShard(shardId, offset.getRecordOffset());
        yield ReadBound.record(
            offset.getRecordOffset().getBatchId(), offset.getRecordOffset().getBatchIndex());
      }
      case TIMESTAMPOFFSET -> ReadBound.time(offset.getTimestampOffset().getTimestampInMs());
      case OFFSET_NOT_SET -> ReadBound.NONE;
    };
  }

  static ReadBound until(ShardLog log, long shardId, StreamOffset offset) {
    if (offset == null) {
      return ReadBound.NONE;
    }
    return switch (offset.getOffsetCase()) {
      case SPECIALOFFSET -> specialBound(log, shardId, offset.getSpecialOffset());
      case TIMESTAMPOFFSET -> ReadBound.time(offset.getTimestampOffset().getTimestampInMs());
      case OFFSET_NOT_SET -> ReadBound.NONE;
    };
  }

  private static RecordPosition special(ShardLog log, long shardId, SpecialOffset special) {
    return switch (special) {
      case EARLIEST -> RecordPosition.batch(FIRST_LSN);
      case LATEST -> RecordPosition.batch(log.position(shardId).lastLsn() + 1);
      case UNRECOGNIZED -> throw invalidOffset("unknown special offset");
    };
  }

  private static ReadBound specialBound(ShardLog log, long shardId, SpecialOffset special) {
    ShardPosition position = log.position(shardId);
    return switch (special) {
      // Before the oldest record: nothing is read.
      case EARLIEST -> ReadBound.batch(position.firstLsn() - 1);
      case LATEST -> ReadBound.batch(position.lastLsn());
      case UNRECOGNIZED -> throw invalidOffset("unknown special offset");
    };
  }

  private static RecordPosition atTime(ShardLog log, long shardId, TimestampOffset offset) {
    return RecordPosition.batch(log.lsnAtOrAfter(shardId, offset.getTimestampInMs()));
  }

  /** Fails when an explicit start lies after an explicit end. */
  static void checkRange(RecordPosition start, ReadBound until) {
    if (until.kind() == ReadBound.Kind.RECORD
        && until.index() != Integer.MAX_VALUE
        && (start.lsn() > until.lsn()
            || (start.lsn() == until.lsn() && start.index() > until.index()))) {
      throw new InletException(
          ErrorCode.ShardReaderConflictOffset,
          "the read starts at "
              + start.lsn()
              + "-"
              + Integer.toUnsignedString(start.index())
              + ", after where it ends ("
              + until.lsn()
              + "-"
              + Integer.toUnsignedString(until.index())
              + ")");
    }
  }

  static String format(RecordId id) {
    return Long.toUnsignedString(id.getShardId())
        + "-"
        + Long.toUnsignedString(id.getBatchId())
        + "-"
        + Integer.toUnsignedString(id.getBatchIndex());
  }

  /**
   * @throws InletException StreamInvalidOffset for text that is not {@code shardId-batchId-index}
   */
  static RecordId parse(String text) {
    String[] parts = text.trim().split("-");
    if (parts.length != 3) {
      throw invalidRecordId(text);
    }
    try {
      return RecordId.newBuilder()
          .setShardId(Long.parseUnsignedLong(parts[0]))
          .setBatchId(Long.parseUnsignedLong(parts[1]))
          .setBatchIndex(Integer.parseUnsignedInt(parts[2]))
          .build();
    } catch (NumberFormatException e) {
      throw invalidRecordId(text);
    }
  }

  private static InletException invalidRecordId(String text) {
    return invalidOffset(
        "record id must look like shardId-batchId-batchIndex, found: \"" + text + "\"");
  }

  static InletException invalidOffset(String message) {
    return new InletException(ErrorCode.StreamInvalidOffset, message);
  }
}
