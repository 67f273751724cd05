package io.inlet.store.segment;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment log's one journal, shared by all its shards. A group commit of small entries is made
 * durable by one write and one fdatasync of this file, instead of one fdatasync per shard segment
 * it wrote (each of which, on a file that grew, also commits the filesystem's own journal). The
 * entries are written to their segments as well, unsynced; {@link SegmentWriter} syncs those
 * segments before the journal starts again from its beginning (a checkpoint), and after a crash
 * {@link JournalReplay} puts back what the segments lost.
 *
 * <p>File {@value #FILE} in the log's directory, big-endian. The first block holds the header: a
 * magic number, the generation, and a CRC32C of both; it is written and synced only at a
 * checkpoint, when nothing in the file is needed any more. Frames follow, each at a block boundary
 * (a frame's blocks are never written again in its generation, so a torn write cannot hurt a frame
 * acknowledged before it):
 *
 * <pre>
 *   int  body length
 *   int  CRC32C of the 16 bytes after it and of the body
 *   long generation
 *   int  entry count
 *   int  0
 *   body, per entry: long shard id, long LSN, int payload length, int record count, int flags,
 *                    long append time (ms), long epoch, payload
 * </pre>
 *
 * Replay takes the frames of the header's generation from the first block on and stops at the first
 * that does not check: nothing after it was acknowledged (a sync of a later frame would have made
 * it durable too). The file takes its whole size in zeros when it is created ({@link
 * #fillToCapacity}) and is overwritten in place from then on, so a sync changes no file metadata.
 *
 * <p>The writer thread writes and starts generations; the flusher thread syncs (or the writer
 * itself, when no group written before awaits a sync: {@link SegmentWriter}).
 */
final class SharedJournal implements AutoCloseable {
  static final String FILE = "journal";

  private static final Logger log = LoggerFactory.getLogger(SharedJournal.class);
  private static final long MAGIC = 0x494e4c45544a4e4cL; // "INLETJNL"
  private static final int FRAME_HEADER_BYTES = 24;
  private static final int ENTRY_HEADER_BYTES = 44;
  private static final int DEFAULT_BLOCK = 4096;
  private static final int MAX_BLOCK = 64 << 10;
  private static final int FILL_CHUNK = 1 << 20;

  /** One entry read back from the journal. */
  record Replayed(long shardId, long lsn, SegmentEntry entry) {}

  private final Path path;
  private final FileChannel channel;
  private final FileChannel writes;
  private final int block;
  private final long capacity;
  private long generation;
  private long position; // writer thread only
  private ByteBuffer stage;

  private SharedJournal(
      Path path, FileChannel channel, FileChannel writes, int block, long capacity) {
    this.path = path;
    this.channel = channel;
    this.writes = writes;
    this.block = block;
    this.capacity = capacity;
    this.stage = aligned(MAX_BLOCK);
  }

  /** The smallest journal that takes frames of {@code groupBytes}. */
  static long minimumBytes(int groupBytes) {
    return 2L * groupBytes + 4L * MAX_BLOCK;
  }

  /**
   * Opens (or creates) the journal in {@code dir}, written with {@code O_DIRECT} when {@code
   * direct} (the caller has checked that the filesystem takes it). Call {@link #replay()}, then
   * {@link #restart()}, before writing.
   */
  static SharedJournal open(Path dir, long capacity, boolean direct) throws IOException {
    Path path = dir.resolve(FILE);
    boolean created = !Files.exists(path);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel writes = channel;
    int block = DEFAULT_BLOCK;
    try {
      if (created) {
        channel.force(true);
        Directories.sync(dir);
      }
      if (direct) {
        block = Math.toIntExact(Files.getFileStore(path).getBlockSize());
        if (block <= 0 || block > MAX_BLOCK || Integer.bitCount(block) != 1) {
          block = DEFAULT_BLOCK;
        } else {
          writes = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        }
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new SharedJournal(path, channel, writes, block, capacity);
  }

  /**
   * The entries of the current generation, in the order they were written. An unreadable header
   * means a checkpoint was cut short (or the file was never used): nothing in the file is needed,
   * and it is emptied so no frame of an older generation can be taken for a new one.
   */
  List<Replayed> replay() throws IOException {
    List<Replayed> entries = new ArrayList<>();
    ByteBuffer header = ByteBuffer.allocate(24);
    if (readFully(header, 0) < 24 || !validHeader(header.flip())) {
      if (channel.size() > 0) {
        log.warn(
            "{}: no valid header (its creation or a checkpoint was cut short); its frames are not"
                + " needed",
            path);
        channel.truncate(0);
        channel.force(true);
      }
      generation = 0;
      return entries;
    }
    generation = header.getLong(8);
    long at = block;
    long size = channel.size();
    ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER_BYTES);
    while (true) {
      frameHeader.clear();
      if (readFully(frameHeader, at) < FRAME_HEADER_BYTES) {
        break;
      }
      frameHeader.flip();
      int length = frameHeader.getInt(0);
      if (frameHeader.getLong(8) != generation
          || length < 0
          || at + FRAME_HEADER_BYTES + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      if (readFully(body, at + FRAME_HEADER_BYTES) < length) {
        break;
      }
      body.flip();
      CRC32C crc = new CRC32C();
      crc.update(frameHeader.duplicate().position(8));
      crc.update(body.duplicate());
      if ((int) crc.getValue() != frameHeader.getInt(4)
          || !parse(body, frameHeader.getInt(16), entries)) {
        break;
      }
      at = alignUp(at + FRAME_HEADER_BYTES + length);
    }
    return entries;
  }

  private static boolean parse(ByteBuffer body, int count, List<Replayed> out) {
    List<Replayed> frame = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
    for (int i = 0; i < count; i++) {
      if (body.remaining() < ENTRY_HEADER_BYTES) {
        return false;
      }
      long shardId = body.getLong();
      long lsn = body.getLong();
      int length = body.getInt();
      int recordCount = body.getInt();
      int flags = body.getInt();
      long appendTimeMs = body.getLong();
      long epoch = body.getLong();
      if (length < 0 || length > body.remaining() || recordCount < 1 || epoch < 0 || lsn < 1) {
        return false;
      }
      byte[] payload = new byte[length];
      body.get(payload);
      frame.add(
          new Replayed(
              shardId, lsn, new SegmentEntry(payload, recordCount, flags, appendTimeMs, epoch)));
    }
    out.addAll(frame);
    return !body.hasRemaining();
  }

  private boolean validHeader(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().limit(16));
    return header.getLong(0) == MAGIC && header.getInt(16) == (int) crc.getValue();
  }

  /**
   * Starts the next generation from the file's beginning, durably (header written and synced). Only
   * when nothing in the journal is needed: every segment it covers is synced.
   */
  void restart() throws IOException {
    fillToCapacity();
    long next = generation + 1;
    ByteBuffer header = stage.clear();
    header.putLong(MAGIC).putLong(next);
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().flip());
    header.putInt((int) crc.getValue());
    pad(header);
    writeAll(header.flip(), 0);
    channel.force(false); // not through the O_DIRECT descriptor: some FUSE filesystems refuse that
    generation = next;
    position = block;
  }

  /**
   * Writes zeros from the end of the file to its capacity, once ({@link #restart()}'s sync makes
   * them durable): the file then never grows again, so each group's fdatasync is a flush of the
   * device alone. A frame that grows the file changes its size and block map, and its sync must
   * first write those (the inode and its blocks, or a commit of the filesystem's journal). Zeros
   * end a replay: their generation is 0.
   */
  private void fillToCapacity() throws IOException {
    long at = channel.size();
    if (at >= capacity) {
      return;
    }
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(FILL_CHUNK, capacity - at));
    try {
      while (at < capacity) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
        while (zeros.hasRemaining()) {
          at += channel.write(zeros, at);
        }
      }
    } catch (IOException e) {
      throw new IOException(
          path + " takes " + capacity + " bytes when created and could not have them: " + e, e);
    }
  }

  /** The bytes a frame of {@code entries} entries with {@code payloadBytes} in all takes. */
  static long frameBytes(int entries, long payloadBytes) {
    return FRAME_HEADER_BYTES + (long) ENTRY_HEADER_BYTES * entries + payloadBytes;
  }

  /** How far this generation's frames reach into the file (bytes). Writer thread only. */
  long position() {
    return position;
  }

  /** The size the journal grows to before it starts again from its beginning. */
  long capacity() {
    return capacity;
  }

  /** Whether a frame of {@code frameBytes} fits after what this generation holds. */
  boolean fits(long frameBytes) {
    return alignUp(position + frameBytes) <= capacity;
  }

  /** An entry to journal: its shard and the entry (the LSN is given apart). */
  interface SegmentEntryOf {
    long shardId();

    SegmentEntry entry();
  }

  /**
   * Writes one frame of {@code entries} with LSNs {@code lsns} (not yet synced). The caller has
   * checked {@link #fits}. Writer thread only.
   */
  void write(List<? extends SegmentEntryOf> entries, long[] lsns) throws IOException {
    long payloadBytes = 0;
    for (SegmentEntryOf e : entries) {
      payloadBytes += e.entry().payload().length;
    }
    int bytes = Math.toIntExact(frameBytes(entries.size(), payloadBytes));
    int padded = (int) alignUp(bytes);
    if (stage.capacity() < padded) {
      stage = aligned(padded);
    }
    ByteBuffer frame = stage.clear();
    frame.putInt(bytes - FRAME_HEADER_BYTES).putInt(0).putLong(generation);
    frame.putInt(entries.size()).putInt(0);
    for (int i = 0; i < entries.size(); i++) {
      SegmentEntryOf e = entries.get(i);
      SegmentEntry entry = e.entry();
      frame.putLong(e.shardId()).putLong(lsns[i]).putInt(entry.payload().length);
      frame.putInt(entry.recordCount()).putInt(entry.flags());
      frame.putLong(entry.appendTimeMs()).putLong(entry.epoch());
      frame.put(entry.payload());
    }
    CRC32C crc = new CRC32C();
    crc.update(frame.duplicate().flip().position(8));
    frame.putInt(4, (int) crc.getValue());
    pad(frame);
    writeAll(frame.flip(), position);
    position += padded;
  }

  /**
   * fdatasyncs what was written (the flusher, or the writer when no earlier group awaits a sync).
   */
  void force() throws IOException {
    channel.force(false); // not through the O_DIRECT descriptor: some FUSE filesystems refuse that
  }

  long generation() {
    return generation;
  }

  private void pad(ByteBuffer buffer) {
    int end = (int) alignUp(buffer.position());
    while (buffer.position() < end) {
      buffer.put((byte) 0);
    }
  }

  private long alignUp(long bytes) {
    return (bytes + block - 1) / block * block;
  }

  private static ByteBuffer aligned(int bytes) {
    return ByteBuffer.allocateDirect(bytes + MAX_BLOCK).alignedSlice(MAX_BLOCK);
  }

  private void writeAll(ByteBuffer buffer, long at) throws IOException {
    int written = 0;
    while (buffer.hasRemaining()) {
      written += writes.write(buffer, at + written);
    }
  }

  private int readFully(ByteBuffer into, long at) throws IOException {
    int read = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, at + read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return read;
  }

  @Override
  public void close() throws IOException {
    try {
      if (writes != channel) {
        writes.close();
      }
    } finally {
      channel.close();
    }
  }
}
