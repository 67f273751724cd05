package io.inlet.store.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a shard's log: the file {@code <baseLsn>.log} of consecutive entries starting at
 * LSN {@code baseLsn}, and its sparse index ({@code <baseLsn>.idx} once sealed). Only the writer
 * thread appends; readers read below {@link #readableSize()} with positional reads.
 *
 * <p>A sealed segment's file may be closed between reads ({@link SegmentChannel}).
 */
final class SegmentFile {
  private static final Logger log = LoggerFactory.getLogger(SegmentFile.class);
  private static final int REWRITE_CHUNK_BYTES = 1 << 20;

  private final Path path;
  private final SegmentChannel file;
  private final long baseLsn;
  private final SparseIndex index;
  private final int indexIntervalBytes;

  /** Bytes written (writer thread only). */
  private long writtenSize;

  /** Bytes acknowledged (synced here or in the shared journal): what readers may read. */
  private volatile long readableSize;

  /** Bytes fsync'd in this file. */
  private long syncedSize; // guarded by this

  /** The LSN of the last entry written, baseLsn - 1 when none (writer thread only). */
  private long lastLsn;

  private long bytesSinceIndexed;

  /** Direct appends to the active segment; null when sealed or written through the page cache. */
  private DirectAppender direct;

  /** Whether a write through the page cache changed the block {@link #direct} keeps a copy of. */
  private boolean directTailStale;

  /** Held across each fsync, so that no fsync starts before a failed one is recorded. */
  private final Object syncLock = new Object();

  /** The first fsync of this file that failed; guarded by {@link #syncLock}. */
  private IOException syncFailure;

  private SegmentFile(
      Path path,
      SealedFiles sealedFiles,
      FileChannel channel,
      long baseLsn,
      long size,
      long lastLsn,
      SparseIndex index,
      int indexIntervalBytes) {
    this.path = path;
    this.file = new SegmentChannel(path, channel, sealedFiles);
    this.baseLsn = baseLsn;
    this.writtenSize = size;
    this.readableSize = size;
    this.syncedSize = size;
    this.lastLsn = lastLsn;
    this.index = index;
    this.indexIntervalBytes = indexIntervalBytes;
    this.bytesSinceIndexed = indexIntervalBytes;
  }

  static String fileName(long baseLsn) {
    return String.format(Locale.ROOT, "%020d.log", baseLsn);
  }

  static Path indexPath(Path segment) {
    String name = segment.getFileName().toString();
    return segment.resolveSibling(name.substring(0, name.length() - 4) + ".idx");
  }

  /** The base LSN a segment file name encodes, or -1 when the name is not a segment's. */
  static long baseLsnOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".log") || name.length() != 24) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Creates an empty segment (the caller syncs the directory). */
  static SegmentFile create(Path dir, long baseLsn, int indexIntervalBytes, SealedFiles sealedFiles)
      throws IOException {
    Path path = dir.resolve(fileName(baseLsn));
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SegmentFile(
        path, sealedFiles, channel, baseLsn, 0, baseLsn - 1, new SparseIndex(), indexIntervalBytes);
  }

  /** An existing segment whose valid bytes, last LSN and index recovery has established. */
  static SegmentFile recovered(
      Path path,
      SealedFiles sealedFiles,
      FileChannel channel,
      long baseLsn,
      long size,
      long lastLsn,
      SparseIndex index,
      int indexIntervalBytes) {
    return new SegmentFile(
        path, sealedFiles, channel, baseLsn, size, lastLsn, index, indexIntervalBytes);
  }

  /**
   * Marks the segment sealed (no more appends): from now on its file may be closed between reads.
   * Writer thread, or recovery.
   */
  void seal() {
    file.seal();
  }

  /**
   * Writes the encoded entries (header and payload buffers) whose LSNs are {@code lsns}, indexing
   * those that start a new index interval: straight to the device when the segment takes direct
   * writes, unless {@code throughPageCache} (entries the shared journal makes durable: copied into
   * the page cache, they cost the writer no device write of their own). Writer thread only.
   */
  void write(List<ByteBuffer> buffers, long[] lsns, int[] entryBytes, boolean throughPageCache)
      throws IOException {
    long position = writtenSize;
    for (int i = 0; i < lsns.length; i++) {
      if (bytesSinceIndexed >= indexIntervalBytes) {
        index.add(lsns[i], position);
        bytesSinceIndexed = 0;
      }
      position += entryBytes[i];
      bytesSinceIndexed += entryBytes[i];
    }
    if (direct != null && !throughPageCache) {
      if (directTailStale) {
        direct.reload(writtenSize, file.writer());
        directTailStale = false;
      }
      direct.write(buffers, writtenSize);
    } else {
      ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
      long expected = position - writtenSize;
      long done = 0;
      FileChannel channel = file.writer();
      channel.position(writtenSize);
      while (done < expected) {
        done += channel.write(array);
      }
      directTailStale = direct != null;
    }
    writtenSize = position;
    lastLsn = lsns[lsns.length - 1];
  }

  /**
   * Makes this the active segment: later writes go straight to the device ({@link DirectAppender})
   * when {@code directWrites} and the filesystem allows it, else through the page cache. Writer
   * thread only.
   */
  void startAppending(boolean directWrites) throws IOException {
    if (directWrites && direct == null) {
      direct = DirectAppender.open(path, writtenSize, file.writer());
      directTailStale = false;
    }
  }

  /**
   * Cuts the zeros that direct writes leave after the last entry and stops direct appends, so the
   * file ends at its last entry as a sealed or cleanly closed segment must (synced by the next
   * {@link #force}, which sees the size change). Writer thread only.
   */
  void cutPadding() throws IOException {
    if (direct == null) {
      return;
    }
    direct.close();
    direct = null;
    FileChannel channel = file.writer();
    if (channel.size() > writtenSize) {
      channel.truncate(writtenSize);
      sync(channel, false);
    }
  }

  /** fsyncs everything written (fdatasync), then lets readers see it. Writer thread only. */
  void force() throws IOException {
    force(writtenSize);
  }

  /**
   * Makes the first {@code size} bytes durable (fdatasync, unless an earlier sync covered them),
   * then lets readers see them. Any thread: the writer seals a segment with it while the flusher
   * syncs what the writer wrote before.
   */
  synchronized void force(long size) throws IOException {
    if (syncedSize < size) {
      sync(file.writer(), false);
      syncedSize = size;
    }
    acknowledge(size);
  }

  /**
   * fdatasyncs what is written so far, and changes nothing else: a background write-back, so that a
   * later {@link #force} finds little left to write. Any thread. A failure fails every later sync
   * of the file.
   */
  void writeBack() throws IOException {
    FileChannel channel = file.acquireUnlessSealed();
    if (channel == null) {
      return; // sealed since the write-back was asked for: sealing synced it
    }
    try {
      sync(channel, false);
    } finally {
      file.release();
    }
  }

  /**
   * Bytes known to be on disk: those a successful fsync covered, before any fsync of the file
   * failed. What lies beyond may be only in the page cache, even after a later fsync that succeeds.
   */
  synchronized long syncedSize() {
    return syncedSize;
  }

  /**
   * Makes the file durable as recovery left it, before anything is appended: writes its bytes from
   * {@code rewriteFrom} on again (with the same content), then fsyncs it. After a failed fsync the
   * kernel may keep written bytes only in pages it has marked clean, which no later fsync writes;
   * written again, they are dirty and the fsync covers them. The bytes are read back first, so
   * pages the kernel dropped come back as the disk holds them: recovery has already cut the file
   * where those stop being whole entries.
   */
  void syncRecovered(long rewriteFrom) throws IOException {
    FileChannel channel = file.writer();
    ByteBuffer chunk = ByteBuffer.allocate(REWRITE_CHUNK_BYTES);
    long at = Math.max(0, rewriteFrom);
    if (at < writtenSize) {
      log.info(
          "Writing bytes {} to {} of {} again: a failed fsync may have left them in the page cache"
              + " only",
          at,
          writtenSize,
          path);
    }
    while (at < writtenSize) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), writtenSize - at));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, at + chunk.position()) < 0) {
          throw new SegmentDamagedException(path, at, "shorter than recovery found it");
        }
      }
      chunk.flip();
      while (chunk.hasRemaining()) {
        at += channel.write(chunk, at);
      }
    }
    sync(channel, false);
  }

  /**
   * An fsync (fdatasync unless {@code metadata}). Once one has failed, every later one fails too:
   * the kernel reports a failed write-back once, and may have dropped the pages it could not write,
   * so a later fsync that succeeds would not mean that what was written is on disk. Only a reopen
   * of the log (which writes those bytes again, {@link #syncRecovered}) makes them durable.
   */
  private void sync(FileChannel channel, boolean metadata) throws IOException {
    synchronized (syncLock) {
      if (syncFailure != null) {
        IOException again =
            new IOException(
                "an earlier fsync of "
                    + path
                    + " failed ("
                    + syncFailure.getMessage()
                    + "); what was written to it since may not be on disk");
        again.addSuppressed(syncFailure);
        throw again;
      }
      try {
        channel.force(metadata);
      } catch (IOException e) {
        syncFailure = e;
        throw e;
      }
    }
  }

  /**
   * Lets readers see the first {@code size} bytes, which the shared journal holds durably (this
   * file has them written, not synced). The thread that synced the journal.
   */
  synchronized void acknowledge(long size) {
    readableSize = Math.max(readableSize, size);
  }

  /**
   * Up to {@code max} entries with LSN >= {@code fromLsn} and <= {@code toLsn}, added to {@code
   * out}; the number added.
   *
   * @throws SegmentDamagedException when a durable entry fails its check
   */
  int read(long fromLsn, long toLsn, int max, int maxEntryBytes, List<LoggedEntry> out)
      throws IOException {
    long start = index.floorPosition(fromLsn);
    long limit = readableSize;
    FileChannel using = file.acquire();
    try {
      SegmentScan scan = new SegmentScan(using, start, limit, Long.MIN_VALUE, maxEntryBytes);
      int added = 0;
      while (added < max) {
        if (!scan.next()) {
          if (scan.problem() != null) {
            throw new SegmentDamagedException(path, scan.position(), scan.problem());
          }
          break;
        }
        long lsn = scan.header().lsn();
        if (lsn > toLsn) {
          break;
        }
        if (lsn >= fromLsn) {
          out.add(new LoggedEntry(lsn, scan.header().toEntry(scan.payload())));
          added++;
        }
      }
      return added;
    } finally {
      file.release();
    }
  }

  /**
   * Cuts the segment after entry {@code lsn} (to empty when {@code lsn} is below its base LSN),
   * syncs the new size and deletes the saved index (the segment becomes the active one again).
   * Writer thread only, with nothing staged.
   */
  void truncateAfter(long lsn, int maxEntryBytes) throws IOException {
    file.unseal();
    FileChannel channel = file.writer();
    long cut = 0;
    if (lsn >= baseLsn) {
      SegmentScan scan =
          new SegmentScan(
              channel, index.floorPosition(lsn), writtenSize, Long.MIN_VALUE, maxEntryBytes);
      cut = -1;
      while (scan.next()) {
        if (scan.header().lsn() == lsn) {
          cut = scan.position();
          break;
        }
      }
      if (cut < 0) {
        throw new SegmentDamagedException(path, scan.position(), "entry " + lsn + " not found");
      }
    }
    Files.deleteIfExists(indexPath(path));
    synchronized (this) {
      readableSize = Math.min(readableSize, cut);
    }
    channel.truncate(cut);
    sync(channel, true);
    if (direct != null) {
      direct.reload(cut, channel);
      directTailStale = false;
    }
    index.truncateAfter(lsn);
    writtenSize = cut;
    synchronized (this) {
      readableSize = cut;
      syncedSize = cut;
    }
    lastLsn = Math.max(lsn, baseLsn - 1);
    bytesSinceIndexed = indexIntervalBytes;
  }

  /** Writes the sparse index beside the segment (a hint: not synced, rebuilt when unusable). */
  void saveIndex() throws IOException {
    index.save(indexPath(path));
  }

  void close() throws IOException {
    try {
      cutPadding();
    } finally {
      file.closeForGood();
    }
  }

  /** Closes and deletes the segment and its index. */
  void delete() throws IOException {
    if (direct != null) {
      direct.close();
      direct = null;
    }
    file.closeForGood();
    Files.deleteIfExists(indexPath(path));
    Files.delete(path);
  }

  Path path() {
    return path;
  }

  long baseLsn() {
    return baseLsn;
  }

  long lastLsn() {
    return lastLsn;
  }

  long writtenSize() {
    return writtenSize;
  }

  long readableSize() {
    return readableSize;
  }

  SparseIndex index() {
    return index;
  }
}
