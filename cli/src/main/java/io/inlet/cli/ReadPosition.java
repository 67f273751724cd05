package io.inlet.cli;

import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TimestampOffset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where a read starts: {@code earliest}, {@code latest}, a record id {@code SHARD-BATCH-INDEX}
 * (which also names the shard) or {@code @EPOCH_MS} (the first record published at or after that
 * time).
 */
record ReadPosition(SpecialOffset special, RecordId recordId, Long epochMillis) {

  static final ReadPosition EARLIEST = new ReadPosition(SpecialOffset.EARLIEST, null, null);
  static final ReadPosition LATEST = new ReadPosition(SpecialOffset.LATEST, null, null);

  static ReadPosition parse(String text) {
    String value = text.strip();
    if (value.equalsIgnoreCase("earliest")) {
      return EARLIEST;
    }
    if (value.equalsIgnoreCase("latest")) {
      return LATEST;
    }
    if (value.startsWith("@")) {
      try {
        long millis = Long.parseLong(value.substring(1));
        if (millis < 0) {
          throw new NumberFormatException();
        }
        return new ReadPosition(null, null, millis);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "expected @EPOCH_MS (milliseconds since 1970), found: '" + text + "'");
      }
    }
    try {
      return new ReadPosition(null, RecordIds.parse(value), null);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "expected earliest, latest, SHARD-BATCH-INDEX or @EPOCH_MS, found: '" + text + "'");
    }
  }

  boolean isRecordId() {
    return recordId != null;
  }

  boolean isLatest() {
    return special == SpecialOffset.LATEST;
  }

  ShardOffset toShardOffset() {
    ShardOffset.Builder offset = ShardOffset.newBuilder();
    if (special != null) {
      offset.setSpecialOffset(special);
    } else if (recordId != null) {
      offset.setRecordOffset(recordId);
    } else {
      offset.setTimestampOffset(timestamp());
    }
    return offset.build();
  }

  /** This position for a whole-stream read; a record id names one shard and has none. */
  StreamOffset toStreamOffset() {
    if (recordId != null) {
      throw new IllegalStateException("a record id is a shard position");
    }
    StreamOffset.Builder offset = StreamOffset.newBuilder();
    if (special != null) {
      offset.setSpecialOffset(special);
    } else {
      offset.setTimestampOffset(timestamp());
    }
    return offset.build();
  }

  private TimestampOffset timestamp() {
    return TimestampOffset.newBuilder().setTimestampInMs(epochMillis).build();
  }

  /** Lets picocli parse {@code --from}. */
  static final class Converter implements ITypeConverter<ReadPosition> {
    @Override
    public ReadPosition convert(String value) {
      return parse(value);
    }
  }
}
