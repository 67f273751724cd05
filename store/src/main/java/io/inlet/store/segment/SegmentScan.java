package io.inlet.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the entries of a segment file one after another from a position, checking each: a whole
 * header, a plausible length, a record count of at least 1, the CRC, and consecutive LSNs. It stops
 * at the first entry that fails and says why; the caller decides whether that is the end of a torn
 * tail or damage. Reads go through one buffer, so scanning small entries costs few system calls.
 */
final class SegmentScan {
  private static final int BUFFER_BYTES = 1 << 20;

  private final FileChannel channel;
  private final long limit;
  private final int maxEntryBytes;
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
  private long bufferStart;
  private long position;
  private long expectedLsn;
  private String problem;
  private EntryHeader header;
  private byte[] payload;

  /**
   * @param expectedLsn the LSN the entry at {@code start} must have, or {@code Long.MIN_VALUE} to
   *     take whatever it has
   */
  SegmentScan(FileChannel channel, long start, long limit, long expectedLsn, int maxEntryBytes) {
    this.channel = channel;
    this.position = start;
    this.bufferStart = start;
    this.limit = limit;
    this.expectedLsn = expectedLsn;
    this.maxEntryBytes = maxEntryBytes;
  }

  /**
   * Reads the next entry. True when one was read ({@link #header()}, {@link #payload()}, and its
   * start at {@link #entryPosition()}); false at the end or at a bad entry, where {@link
   * #problem()} says what is wrong (null at a clean end) and {@link #position()} is where the bad
   * entry starts.
   */
  boolean next() throws IOException {
    long remaining = limit - position;
    if (remaining == 0) {
      problem = null;
      return false;
    }
    if (remaining < EntryHeader.BYTES) {
      return fail("an incomplete entry header (" + remaining + " bytes)");
    }
    ByteBuffer head = view(position, EntryHeader.BYTES);
    EntryHeader h = EntryHeader.read(head);
    if (h.length() < 0 || h.length() > maxEntryBytes) {
      return fail("an entry length of " + h.length() + " bytes");
    }
    if (h.length() > remaining - EntryHeader.BYTES) {
      return fail("an entry of " + h.length() + " bytes running past the end of the file");
    }
    if (h.recordCount() < 1) {
      return fail("a record count of " + h.recordCount());
    }
    byte[] headBytes = new byte[EntryHeader.BYTES];
    head.duplicate().get(headBytes);
    ByteBuffer body = view(position + EntryHeader.BYTES, h.length());
    if (!h.matches(ByteBuffer.wrap(headBytes), body)) {
      return fail("a CRC mismatch");
    }
    if (expectedLsn != Long.MIN_VALUE && h.lsn() != expectedLsn) {
      return fail("LSN " + h.lsn() + " where " + expectedLsn + " was expected");
    }
    byte[] bytes = new byte[h.length()];
    body.get(bytes);
    header = h;
    payload = bytes;
    entryPosition = position;
    position += EntryHeader.BYTES + h.length();
    expectedLsn = h.lsn() + 1;
    return true;
  }

  private long entryPosition;

  private boolean fail(String what) {
    problem = what;
    return false;
  }

  /** {@code length} bytes at file offset {@code at}, from the buffer (refilled when needed). */
  private ByteBuffer view(long at, int length) throws IOException {
    long end = at + length;
    if (at < bufferStart || end > bufferStart + buffer.limit()) {
      if (length > buffer.capacity()) {
        buffer = ByteBuffer.allocate(length);
      }
      buffer.clear();
      int want = (int) Math.min(buffer.capacity(), limit - at);
      buffer.limit(want);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, at + buffer.position()) < 0) {
          throw new IOException("file ended at " + (at + buffer.position()) + ", below " + limit);
        }
      }
      buffer.flip();
      bufferStart = at;
    }
    int offset = (int) (at - bufferStart);
    return buffer.duplicate().position(offset).limit(offset + length).slice();
  }

  EntryHeader header() {
    return header;
  }

  byte[] payload() {
    return payload;
  }

  long entryPosition() {
    return entryPosition;
  }

  /** Where the next entry starts (after a false {@link #next()}: where the bad one starts). */
  long position() {
    return position;
  }

  /** The LSN the next entry must have. */
  long expectedLsn() {
    return expectedLsn;
  }

  String problem() {
    return problem;
  }
}
