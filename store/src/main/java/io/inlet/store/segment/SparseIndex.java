package io.inlet.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Where some entries of one segment start: (LSN, byte position) pairs in rising order, one per
 * {@link SegmentLogOptions#indexIntervalBytes()}. A read starts at the last pair at or below the
 * LSN it wants and scans forward. The file form (16 bytes a pair) is written when a segment is
 * sealed and is only a hint: a missing or inconsistent one is rebuilt from the segment. The writer
 * adds pairs; readers look them up concurrently.
 */
final class SparseIndex {
  private static final int PAIR_BYTES = 16;

  private long[] lsns = new long[16];
  private long[] positions = new long[16];
  private int size;

  synchronized void add(long lsn, long position) {
    if (size == lsns.length) {
      lsns = Arrays.copyOf(lsns, size * 2);
      positions = Arrays.copyOf(positions, size * 2);
    }
    lsns[size] = lsn;
    positions[size] = position;
    size++;
  }

  /** The position of the last indexed entry with LSN <= {@code lsn}, or 0. */
  synchronized long floorPosition(long lsn) {
    int i = Arrays.binarySearch(lsns, 0, size, lsn);
    if (i >= 0) {
      return positions[i];
    }
    int insertion = -i - 1;
    return insertion == 0 ? 0 : positions[insertion - 1];
  }

  /** Forgets the pairs of entries with LSN > {@code lsn} (after a truncation). */
  synchronized void truncateAfter(long lsn) {
    while (size > 0 && lsns[size - 1] > lsn) {
      size--;
    }
  }

  /** The last pair as {lsn, position}, or null when empty. */
  synchronized long[] last() {
    return size == 0 ? null : new long[] {lsns[size - 1], positions[size - 1]};
  }

  synchronized int size() {
    return size;
  }

  /** Writes the index to {@code file} through a temporary file and a rename, not synced. */
  synchronized void save(Path file) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(size * PAIR_BYTES);
    for (int i = 0; i < size; i++) {
      out.putLong(lsns[i]).putLong(positions[i]);
    }
    out.flip();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The index in {@code file} when it is well formed for a segment of {@code segmentSize} bytes
   * starting at {@code baseLsn}; null when it is missing or not (the caller then rebuilds it).
   */
  static SparseIndex load(Path file, long baseLsn, long segmentSize) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length % PAIR_BYTES != 0) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    SparseIndex index = new SparseIndex();
    long previousLsn = baseLsn - 1;
    long previousPosition = -1;
    while (in.hasRemaining()) {
      long lsn = in.getLong();
      long position = in.getLong();
      if (lsn <= previousLsn || position <= previousPosition || position >= segmentSize) {
        return null;
      }
      index.add(lsn, position);
      previousLsn = lsn;
      previousPosition = position;
    }
    return index;
  }
}
