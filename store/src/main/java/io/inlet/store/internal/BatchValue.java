package io.inlet.store.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.store.StoredBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Values of the {@code data} column family: a 9-byte header (format byte 1, then the append time in
 * epoch milliseconds, 8 bytes big-endian) followed by the serialized {@link BatchedRecord} as
 * received.
 */
final class BatchValue {
  static final byte FORMAT = 1;
  static final int HEADER_LENGTH = 9;

  private BatchValue() {}

  static int length(BatchedRecord batch) {
    return HEADER_LENGTH + batch.getSerializedSize();
  }

  /**
   * Writes the value at the buffer's position; the buffer must have {@link #length} bytes left.
   * Serializing straight into a reused direct buffer spares the writer one heap copy per batch.
   */
  static void write(ByteBuffer target, long appendTimeMs, BatchedRecord batch) {
    target.put(FORMAT);
    target.putLong(appendTimeMs);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      batch.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a batch into a sized buffer", e);
    }
  }

  static long appendTimeMs(byte[] value) {
    checkFormat(value);
    return Bytes.getLong(value, 1);
  }

  static StoredBatch decode(long shardId, long lsn, byte[] value) {
    checkFormat(value);
    try {
      BatchedRecord batch =
          BatchedRecord.parser().parseFrom(value, HEADER_LENGTH, value.length - HEADER_LENGTH);
      return new StoredBatch(shardId, lsn, Bytes.getLong(value, 1), batch);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "stored batch " + lsn + " of shard " + shardId + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static void checkFormat(byte[] value) {
    if (value.length < HEADER_LENGTH || value[0] != FORMAT) {
      throw new IllegalStateException(
          "stored batch has unknown format "
              + (value.length == 0 ? "(empty)" : Byte.toString(value[0]))
              + "; was the data directory written by a newer Inlet?");
    }
  }
}
