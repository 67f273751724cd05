package io.inlet.store.segment;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the active segment with {@code O_DIRECT}: from an aligned buffer straight to the
 * device, without copying into page-cache pages (which took most of the writer's CPU: {@code
 * bench/run.sh write-path}). Direct writes must start and end on block boundaries, so each write
 * starts at the block holding the segment's end, rewriting that block's bytes unchanged (kept in
 * {@link #tail}), and ends with zeros up to the next boundary. That padding lies past the last
 * entry: the next write overwrites it, sealing and closing cut it off ({@link
 * SegmentFile#cutPadding()}), and after a crash recovery cuts it as a torn tail. Reads keep using
 * the segment's ordinary channel (the kernel drops cached pages a direct write covers).
 *
 * <p>Writer thread only.
 */
final class DirectAppender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectAppender.class);
  private static final AtomicBoolean unsupportedLogged = new AtomicBoolean();

  private static final int MAX_BLOCK = 64 << 10;

  /** The writer thread's staging buffer (aligned; a multiple of any block size used). */
  private static final int STAGE_BYTES = 1 << 20;

  private static final ThreadLocal<ByteBuffer> STAGE =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(STAGE_BYTES + MAX_BLOCK).alignedSlice(MAX_BLOCK));

  private final FileChannel channel;
  private final int block;
  private final ByteBuffer tail;

  private DirectAppender(FileChannel channel, int block) {
    this.channel = channel;
    this.block = block;
    this.tail = ByteBuffer.allocate(block);
  }

  /**
   * Opens {@code path} for direct appends after its first {@code size} bytes (read back through
   * {@code reader}), or returns null where the filesystem does not take direct writes (the segment
   * is then written through the page cache).
   */
  static DirectAppender open(Path path, long size, FileChannel reader) throws IOException {
    int block;
    FileChannel channel;
    try {
      block = Math.toIntExact(Files.getFileStore(path).getBlockSize());
      if (block <= 0 || block > MAX_BLOCK || Integer.bitCount(block) != 1) {
        throw new IOException("block size " + block);
      }
      channel = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
      unsupported(path, e);
      return null;
    }
    DirectAppender appender = new DirectAppender(channel, block);
    try {
      appender.reload(size, reader);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return appender;
  }

  private static void unsupported(Path path, Exception e) {
    if (unsupportedLogged.compareAndSet(false, true)) {
      log.info(
          "Segments in {} are written through the page cache: direct writes are not available"
              + " there ({})",
          path.getParent(),
          e.toString());
    }
  }

  /**
   * Whether files in {@code dir} take direct writes while also open through the page cache, as
   * segments are: some filesystems open them but refuse the writes (a FUSE filesystem that passes
   * {@code O_DIRECT} on to its own files with unaligned buffers, say), so a probe file is written,
   * then deleted. Logs once when they do not.
   */
  static boolean supported(Path dir) {
    Path probe = dir.resolve("direct-write-probe");
    try {
      Files.deleteIfExists(probe);
      try (FileChannel reader =
              FileChannel.open(
                  probe,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          DirectAppender appender = open(probe, 0, reader)) {
        if (appender == null) {
          return false;
        }
        ByteBuffer block =
            ByteBuffer.allocateDirect(2 * MAX_BLOCK).alignedSlice(MAX_BLOCK).limit(appender.block);
        appender.writeAll(block, 0);
        return true;
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | RuntimeException e) {
      unsupported(probe, e);
      return false;
    }
  }

  /** Reads the bytes of the block holding {@code size} back after a truncation or a recovery. */
  void reload(long size, FileChannel reader) throws IOException {
    int length = (int) (size % block);
    tail.clear().limit(length);
    long at = size - length;
    while (tail.hasRemaining()) {
      if (reader.read(tail, at + tail.position()) < 0) {
        throw new IOException("segment shorter than " + size + " bytes");
      }
    }
    tail.position(length).limit(block);
  }

  /** Writes {@code buffers} after the first {@code size} bytes of the segment. */
  void write(List<ByteBuffer> buffers, long size) throws IOException {
    ByteBuffer stage = STAGE.get().clear();
    long position = size - tail.position();
    stage.put(tail.duplicate().flip());
    for (ByteBuffer source : buffers) {
      int from = source.position();
      int end = source.limit();
      while (from < end) {
        int n = Math.min(end - from, stage.remaining());
        stage.put(stage.position(), source, from, n);
        stage.position(stage.position() + n);
        from += n;
        if (!stage.hasRemaining()) {
          position += writeAll(stage.flip(), position);
          stage.clear();
        }
      }
    }
    int filled = stage.position();
    int kept = filled % block;
    tail.clear().put(stage.duplicate().position(filled - kept).limit(filled));
    int padded = kept == 0 ? filled : filled - kept + block;
    while (stage.position() < padded) {
      stage.put((byte) 0);
    }
    if (padded > 0) {
      writeAll(stage.flip(), position);
    }
  }

  private int writeAll(ByteBuffer buffer, long position) throws IOException {
    int written = 0;
    while (buffer.hasRemaining()) {
      written += channel.write(buffer, position + written);
    }
    return written;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
