package io.inlet.store.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.inlet.store.Entry;
import java.io.IOException;

/**
 * Format 1 of a {@code data} value, as versions before {@link EntryValue format 2} wrote it: a
 * 9-byte header (format byte 1, then the append time in epoch milliseconds, 8 bytes big-endian)
 * followed by the serialized HStreamDB {@code BatchedRecord} as received. Such values stay in data
 * directories after an upgrade (nothing rewrites them), so they are read for as long as this
 * version runs.
 *
 * <p>The store keeps no HStreamDB type: this reads the frozen wire layout of that message
 * (compressionType = 1 varint, publishTime = 2 message, batchSize = 3 varint, payload = 4 bytes)
 * into an {@link Entry} whose format is the compression number and whose record count is batchSize;
 * publishTime is dropped, as readers see the append time in its place.
 */
final class LegacyBatchValue {
  static final byte FORMAT = 1;
  static final int HEADER_LENGTH = 9;

  // A tag is (field number << 3) | wire type: varint 0, length-delimited 2.
  private static final int COMPRESSION_TAG = 1 << 3;
  private static final int BATCH_SIZE_TAG = 3 << 3;
  private static final int PAYLOAD_TAG = (4 << 3) | 2;

  /** The bytes after the header are not a BatchedRecord this version can read. */
  static final class UnreadableException extends Exception {
    UnreadableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private LegacyBatchValue() {}

  /**
   * The entry a format 1 value holds. The payload is read from the value's bytes only, so a damaged
   * length can never make it allocate more than the value holds.
   */
  static Entry entry(byte[] value) throws UnreadableException {
    CodedInputStream in =
        CodedInputStream.newInstance(value, HEADER_LENGTH, value.length - HEADER_LENGTH);
    int compression = 0;
    int batchSize = 0;
    ByteString payload = ByteString.EMPTY;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case COMPRESSION_TAG -> compression = in.readEnum();
          case BATCH_SIZE_TAG -> batchSize = in.readUInt32();
          case PAYLOAD_TAG -> payload = in.readBytes();
          default -> {
            // other fields (publishTime), or a known number with another wire type, as protobuf
            // itself treats it
            if (!in.skipField(tag)) {
              throw new UnreadableException("an end-group tag where a field belongs", null);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UnreadableException(e.getMessage(), e);
    }
    if (compression < 0 || compression > Entry.MAX_FORMAT) {
      throw new UnreadableException("compressionType " + compression + " is unknown", null);
    }
    return new Entry(batchSize, compression, payload);
  }
}
