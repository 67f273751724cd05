package io.inlet.store.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.inlet.store.DamagedDataException;
import io.inlet.store.Entry;
import io.inlet.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Values of the {@code data} column family. This version writes format 2: a 14-byte header, then
 * the entry's payload as given.
 *
 * <pre>
 * offset 0   format        1 byte  (2)
 * offset 1   append time   8 bytes big-endian, epoch milliseconds
 * offset 9   record count  4 bytes big-endian (unsigned)
 * offset 13  entry format  1 byte  (the edge's tag, kept as given)
 * offset 14  payload
 * </pre>
 *
 * Format 1 (versions before entries) is still read: see {@link LegacyBatchValue}. The append time
 * sits at offset 1 in both, so searches by time and recovery read it the same way.
 */
final class EntryValue {
  static final byte FORMAT = 2;
  static final int HEADER_LENGTH = 14;

  /** Enough of any value's start to find its append time ({@link #appendTimeOrZero}). */
  static final int TIME_HEADER_LENGTH = 9;

  private EntryValue() {}

  static int length(Entry entry) {
    return HEADER_LENGTH + entry.payload().size();
  }

  /** Writes the value at the buffer's position; the buffer must have {@link #length} bytes left. */
  static void write(ByteBuffer target, long appendTimeMs, Entry entry) {
    target.put(FORMAT);
    target.putLong(appendTimeMs);
    target.putInt(entry.recordCount());
    target.put((byte) entry.format());
    entry.payload().copyTo(target);
  }

  /**
   * The append time in a header read into {@code header} ({@code length} is the stored value's full
   * length), or 0 when the header is not one this version reads.
   */
  static long appendTimeOrZero(byte[] header, int length) {
    if (length < 1 || length < minimumLength(header[0])) {
      return 0;
    }
    return Bytes.getLong(header, 1);
  }

  /**
   * @throws DamagedDataException when the value is not one this version reads
   */
  static long appendTimeMs(Path dataDir, long shardId, long lsn, byte[] value, int length) {
    checkFormat(dataDir, shardId, lsn, value, length);
    return Bytes.getLong(value, 1);
  }

  /**
   * The entry a value holds. {@code value} must be a fresh array no one else holds: the payload
   * shares it instead of copying.
   *
   * @throws DamagedDataException naming the shard and LSN when the value is not one this version
   *     reads
   */
  static StoredEntry decode(Path dataDir, long shardId, long lsn, byte[] value) {
    checkFormat(dataDir, shardId, lsn, value, value.length);
    long appendTimeMs = Bytes.getLong(value, 1);
    if (value[0] == LegacyBatchValue.FORMAT) {
      try {
        return new StoredEntry(shardId, lsn, appendTimeMs, LegacyBatchValue.entry(value));
      } catch (LegacyBatchValue.UnreadableException e) {
        throw damaged(dataDir, shardId, lsn, "it does not parse (" + e.getMessage() + ")", e);
      }
    }
    int recordCount = Bytes.getInt(value, 9);
    int format = value[13] & 0xFF;
    Entry entry =
        new Entry(
            recordCount,
            format,
            UnsafeByteOperations.unsafeWrap(value, HEADER_LENGTH, value.length - HEADER_LENGTH));
    return new StoredEntry(shardId, lsn, appendTimeMs, entry);
  }

  private static int minimumLength(byte format) {
    return switch (format) {
      case FORMAT -> HEADER_LENGTH;
      case LegacyBatchValue.FORMAT -> LegacyBatchValue.HEADER_LENGTH;
      default -> Integer.MAX_VALUE;
    };
  }

  private static void checkFormat(Path dataDir, long shardId, long lsn, byte[] value, int length) {
    if (length == 0) {
      throw damaged(dataDir, shardId, lsn, "it is empty", null);
    }
    if (value[0] != FORMAT && value[0] != LegacyBatchValue.FORMAT) {
      throw damaged(
          dataDir,
          shardId,
          lsn,
          "it has unknown format " + value[0] + " (written by a newer Inlet, or damaged)",
          null);
    }
    if (length < minimumLength(value[0])) {
      throw damaged(
          dataDir,
          shardId,
          lsn,
          "it holds " + length + " bytes, less than a format " + value[0] + " header",
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
