package io.inlet.cli;

import io.inlet.api.hstream.RecordId;

/** Record ids as text, as HStreamDB tools write them: {@code shardId-batchId-batchIndex}. */
final class RecordIds {
  private RecordIds() {}

  static String format(RecordId id) {
    return Long.toUnsignedString(id.getShardId())
        + "-"
        + Long.toUnsignedString(id.getBatchId())
        + "-"
        + Integer.toUnsignedString(id.getBatchIndex());
  }

  /**
   * Parses {@code shardId-batchId-batchIndex}.
   *
   * @throws IllegalArgumentException when the text is not three unsigned numbers
   */
  static RecordId parse(String text) {
    String[] parts = text.split("-", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "expected SHARD-BATCH-INDEX (for example 1-42-0), found: '" + text + "'");
    }
    try {
      return RecordId.newBuilder()
          .setShardId(Long.parseUnsignedLong(parts[0]))
          .setBatchId(Long.parseUnsignedLong(parts[1]))
          .setBatchIndex(Integer.parseUnsignedInt(parts[2]))
          .build();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected SHARD-BATCH-INDEX (for example 1-42-0), found: '" + text + "'", e);
    }
  }
}
