package io.inlet.store.segment;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The 48-byte header in front of every entry in a segment file, big-endian:
 *
 * <pre>
 *   int  payload length
 *   int  CRC32C of the 32 header bytes after it and of the payload
 *   long LSN
 *   long the shard's durable LSN when the entry was written (every entry up to it was fsync'd
 *        before this one was written; recovery uses it to tell a torn tail from damage)
 *   int  record count
 *   int  flags
 *   long append time (ms since the epoch)
 *   long the epoch of the leader that wrote the entry (0 outside a replicated log)
 * </pre>
 */
record EntryHeader(
    int length,
    int crc,
    long lsn,
    long durableLsn,
    int recordCount,
    int flags,
    long appendTimeMs,
    long epoch) {
  static final int BYTES = 48;

  /** Writes the header of {@code entry} at {@code lsn} into {@code out}, which must have room. */
  static void write(ByteBuffer out, long lsn, long durableLsn, SegmentEntry entry) {
    int start = out.position();
    out.putInt(entry.payload().length);
    out.putInt(0);
    out.putLong(lsn);
    out.putLong(durableLsn);
    out.putInt(entry.recordCount());
    out.putInt(entry.flags());
    out.putLong(entry.appendTimeMs());
    out.putLong(entry.epoch());
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().position(start + 8).limit(start + BYTES));
    crc.update(entry.payload());
    out.putInt(start + 4, (int) crc.getValue());
  }

  /** Reads the 48 bytes at {@code in}'s position (which it does not move). */
  static EntryHeader read(ByteBuffer in) {
    int p = in.position();
    return new EntryHeader(
        in.getInt(p),
        in.getInt(p + 4),
        in.getLong(p + 8),
        in.getLong(p + 16),
        in.getInt(p + 24),
        in.getInt(p + 28),
        in.getLong(p + 32),
        in.getLong(p + 40));
  }

  /** Whether {@code header} (its 48 bytes) and {@code payload} match this header's CRC. */
  boolean matches(ByteBuffer header, ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(header.position() + 8).limit(header.position() + BYTES));
    crc.update(payload.duplicate());
    return (int) crc.getValue() == this.crc;
  }

  SegmentEntry toEntry(byte[] payload) {
    return new SegmentEntry(payload, recordCount, flags, appendTimeMs, epoch);
  }
}
