package io.inlet.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one shard's directory after a restart. The rule:
 *
 * <ul>
 *   <li>Segments must follow each other without a gap in LSNs.
 *   <li>A sealed segment was fsync'd before its successor was created, so it must be whole: its
 *       last entries (from the last sparse-index point, or all of it when the index is missing or
 *       unusable, which is then rebuilt) must check and end exactly at the end of the file.
 *   <li>The active (last) segment is scanned entirely. At the first entry that fails its check the
 *       rest is a torn tail, cut off, unless an entry there shows it was acknowledged: a later
 *       entry that still checks and names a durable LSN at or beyond the bad one (each entry
 *       records the shard's durable LSN when it was written), or a clean shutdown (nothing can be
 *       torn after one). Then opening is refused with {@link SegmentDamagedException} and nothing
 *       is changed.
 * </ul>
 */
final class ShardRecovery {
  private static final Logger log = LoggerFactory.getLogger(ShardRecovery.class);

  private final Path dir;
  private final SegmentLogOptions options;
  private final boolean cleanShutdown;
  private final SealedFiles sealedFiles;

  ShardRecovery(
      Path dir, SegmentLogOptions options, boolean cleanShutdown, SealedFiles sealedFiles) {
    this.dir = dir;
    this.options = options;
    this.cleanShutdown = cleanShutdown;
    this.sealedFiles = sealedFiles;
  }

  /** The shard's segments, oldest first, the last one open for appends. */
  List<SegmentFile> recover() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(f -> SegmentFile.baseLsnOf(f) > 0)
              .sorted((a, b) -> Long.compare(SegmentFile.baseLsnOf(a), SegmentFile.baseLsnOf(b)))
              .toList();
    }
    List<SegmentFile> segments = new ArrayList<>();
    if (files.isEmpty()) {
      segments.add(SegmentFile.create(dir, 1, options.indexIntervalBytes(), sealedFiles));
      Directories.sync(dir);
      return segments;
    }
    try {
      long expected = SegmentFile.baseLsnOf(files.get(0));
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        long base = SegmentFile.baseLsnOf(file);
        if (base != expected) {
          throw new SegmentDamagedException(
              file,
              0,
              "the segment starts at LSN " + base + " where " + expected + " was expected");
        }
        boolean last = i == files.size() - 1;
        SegmentFile segment = last ? openActive(file, base) : openSealed(file, base);
        segments.add(segment);
        if (!last) {
          // Counted in the budget at once: a shard's sealed files are not all open together.
          segment.seal();
        }
        expected = segment.lastLsn() + 1;
      }
      return segments;
    } catch (IOException | RuntimeException e) {
      for (SegmentFile segment : segments) {
        segment.close();
      }
      throw e;
    }
  }

  private SegmentFile openSealed(Path file, long base) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      SparseIndex index = SparseIndex.load(SegmentFile.indexPath(file), base, size);
      long[] last = index == null ? null : index.last();
      boolean rebuild = last == null;
      SparseIndex built = rebuild ? new SparseIndex() : index;
      long start = rebuild ? 0 : last[1];
      long startLsn = rebuild ? base : last[0];
      SegmentScan scan = new SegmentScan(channel, start, size, startLsn, options.maxEntryBytes());
      long lastLsn = base - 1;
      long sinceIndexed = options.indexIntervalBytes();
      while (scan.next()) {
        lastLsn = scan.header().lsn();
        if (rebuild) {
          if (sinceIndexed >= options.indexIntervalBytes()) {
            built.add(lastLsn, scan.entryPosition());
            sinceIndexed = 0;
          }
          sinceIndexed += scan.position() - scan.entryPosition();
        }
      }
      if (scan.problem() != null) {
        throw new SegmentDamagedException(
            file, scan.position(), "a sealed segment holds " + scan.problem());
      }
      SegmentFile segment =
          SegmentFile.recovered(
              file, sealedFiles, channel, base, size, lastLsn, built, options.indexIntervalBytes());
      if (rebuild) {
        segment.saveIndex();
        log.info("Rebuilt the sparse index of {}", file);
      }
      return segment;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private SegmentFile openActive(Path file, long base) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      SparseIndex index = new SparseIndex();
      SegmentScan scan = new SegmentScan(channel, 0, size, base, options.maxEntryBytes());
      long lastLsn = base - 1;
      long sinceIndexed = options.indexIntervalBytes();
      while (scan.next()) {
        lastLsn = scan.header().lsn();
        if (sinceIndexed >= options.indexIntervalBytes()) {
          index.add(lastLsn, scan.entryPosition());
          sinceIndexed = 0;
        }
        sinceIndexed += scan.position() - scan.entryPosition();
      }
      long validSize = scan.position();
      if (scan.problem() != null) {
        refuseUnlessTorn(file, channel, validSize, lastLsn + 1, scan.problem());
        log.warn(
            "Cut a torn tail of {} bytes off {} at byte {} ({}); the last entry kept is LSN {}",
            size - validSize,
            file,
            validSize,
            scan.problem(),
            lastLsn);
        channel.truncate(validSize);
        channel.force(true);
      }
      return SegmentFile.recovered(
          file,
          sealedFiles,
          channel,
          base,
          validSize,
          lastLsn,
          index,
          options.indexIntervalBytes());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void refuseUnlessTorn(
      Path file, FileChannel channel, long badPosition, long badLsn, String problem)
      throws IOException {
    if (cleanShutdown) {
      throw new SegmentDamagedException(
          file, badPosition, problem + " after a clean shutdown (nothing can be torn then)");
    }
    long acknowledged = highestDurableLsnAfter(channel, badPosition, badLsn);
    if (acknowledged >= badLsn) {
      throw new SegmentDamagedException(
          file,
          badPosition,
          problem
              + " at LSN "
              + badLsn
              + ", which a later entry shows was durable (up to LSN "
              + acknowledged
              + "): damage, not a torn tail");
    }
  }

  /**
   * The highest durable LSN named by any entry that still checks after {@code from}, looking at
   * every byte position (a bad length hides where the next entry starts); -1 when there is none.
   */
  private long highestDurableLsnAfter(FileChannel channel, long from, long badLsn)
      throws IOException {
    long size = channel.size();
    if (size - from <= EntryHeader.BYTES) {
      return -1;
    }
    MappedByteBuffer tail = channel.map(FileChannel.MapMode.READ_ONLY, from, size - from);
    long highest = -1;
    int length = tail.limit();
    for (int at = 1; at + EntryHeader.BYTES <= length; at++) {
      EntryHeader h = EntryHeader.read(tail.duplicate().position(at));
      int payloadEnd = at + EntryHeader.BYTES + h.length();
      if (h.length() < 0
          || h.length() > options.maxEntryBytes()
          || payloadEnd > length
          || h.recordCount() < 1
          || h.lsn() <= badLsn - 1
          || h.lsn() > badLsn + length / EntryHeader.BYTES
          || h.durableLsn() >= h.lsn()) {
        continue;
      }
      ByteBuffer header = tail.duplicate().position(at).limit(at + EntryHeader.BYTES);
      ByteBuffer payload = tail.duplicate().position(at + EntryHeader.BYTES).limit(payloadEnd);
      if (h.matches(header, payload)) {
        highest = Math.max(highest, h.durableLsn());
      }
    }
    return highest;
  }
}
