package io.inlet.store.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.store.DamagedDataException;
import io.inlet.store.StoredBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

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

  /**
   * The append time in a header read into {@code header} ({@code length} is the stored value's full
   * length), or 0 when the header is not one this version wrote.
   */
  static long appendTimeOrZero(byte[] header, int length) {
    if (length < HEADER_LENGTH || header[0] != FORMAT) {
      return 0;
    }
    return Bytes.getLong(header, 1);
  }

  /**
   * @throws DamagedDataException when the value is not a batch this version wrote
   */
  static long appendTimeMs(Path dataDir, long shardId, long lsn, byte[] value, int length) {
    checkFormat(dataDir, shardId, lsn, value, length);
    return Bytes.getLong(value, 1);
  }

  /**
   * Parses a stored batch. The payload is parsed from the stored bytes only, so a damaged length
   * can never make it allocate more than the value holds.
   *
   * @throws DamagedDataException naming the shard and LSN when the value does not parse
   */
  static StoredBatch decode(Path dataDir, long shardId, long lsn, byte[] value) {
    checkFormat(dataDir, shardId, lsn, value, value.length);
    try {
      BatchedRecord batch =
          BatchedRecord.parser().parseFrom(value, HEADER_LENGTH, value.length - HEADER_LENGTH);
      return new StoredBatch(shardId, lsn, Bytes.getLong(value, 1), batch);
    } catch (InvalidProtocolBufferException e) {
      throw damaged(dataDir, shardId, lsn, "it does not parse (" + e.getMessage() + ")", e);
    }
  }

  private static void checkFormat(Path dataDir, long shardId, long lsn, byte[] value, int length) {
    if (length < HEADER_LENGTH || value[0] != FORMAT) {
      throw damaged(
          dataDir,
          shardId,
          lsn,
          "it has unknown format "
              + (length == 0 ? "(empty)" : Byte.toString(value[0]))
              + " (written by a newer Inlet, or damaged)",
          null);
    }
  }

  private static DamagedDataException damaged(
      Path dataDir, long shardId, long lsn, String why, Exception cause) {
    return new DamagedDataException(
        dataDir,
        shardId,
        lsn,
        "stored batch "
            + lsn
            + " of shard "
            + shardId
            + " is damaged: "
            + why
            + "; the batches before and after it are still readable; `"
            + DamagedDataException.repairCommand(dataDir)
            + "` reports every damaged batch",
        cause);
  }
}
