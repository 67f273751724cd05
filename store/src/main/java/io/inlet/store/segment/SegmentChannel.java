package io.inlet.store.segment;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment's open file: always open while the segment is active; once sealed, closed between reads
 * when the log has more sealed files open than its budget ({@link SealedFiles}) and opened again by
 * the next read ({@link #acquire}, {@link #release}). A file a read uses is never closed under it,
 * except for good ({@link #closeForGood}: the read then fails with ClosedChannelException).
 *
 * <p>Lock order: this object calls {@link SealedFiles} only without holding its own lock.
 */
final class SegmentChannel {
  private final Path path;
  private final SealedFiles sealedFiles;
  private final Object lock = new Object();
  private FileChannel channel; // guarded by lock; null while closed between reads
  private boolean sealed; // guarded by lock
  private int readers; // guarded by lock: reads using the channel now
  private boolean closed; // guarded by lock: closed for good

  SegmentChannel(Path path, FileChannel channel, SealedFiles sealedFiles) {
    this.path = path;
    this.channel = channel;
    this.sealedFiles = sealedFiles;
  }

  /**
   * The file for the writer: the segment is active, so it is open. Writer thread (or recovery)
   * only.
   */
  FileChannel writer() {
    synchronized (lock) {
      return channel;
    }
  }

  /** The segment takes no more appends: from now on its file may be closed between reads. */
  void seal() {
    synchronized (lock) {
      sealed = true;
    }
    sealedFiles.used(this);
  }

  /** The segment is active again (a truncation cut into it): its file is opened and stays open. */
  void unseal() throws IOException {
    synchronized (lock) {
      if (!sealed) {
        return;
      }
      sealed = false;
      if (channel == null) {
        channel = open();
      }
    }
    sealedFiles.forget(this);
  }

  /**
   * Closes a sealed segment's file when no read uses it ({@link SealedFiles}, under its lock).
   *
   * @return whether it was closed
   */
  boolean closeIfIdle() {
    synchronized (lock) {
      if (!sealed || readers > 0 || channel == null) {
        return false;
      }
      FileChannel open = channel;
      channel = null;
      try {
        open.close();
      } catch (IOException e) {
        // only read since it was sealed: nothing to lose
      }
      return true;
    }
  }

  /** The file for a read, opened again if it was closed between reads; then {@link #release}. */
  FileChannel acquire() throws IOException {
    FileChannel using;
    boolean counted;
    synchronized (lock) {
      if (closed) {
        throw new ClosedChannelException();
      }
      if (channel == null) {
        channel = open();
      }
      readers++;
      using = channel;
      counted = sealed;
    }
    if (counted) {
      sealedFiles.used(this);
    }
    return using;
  }

  /**
   * The file of a segment still active, for a background sync, then {@link #release}; null once it
   * is sealed (sealing synced it) or closed, so such a sync never opens a file closed between
   * reads.
   */
  FileChannel acquireUnlessSealed() {
    synchronized (lock) {
      if (sealed || closed || channel == null) {
        return null;
      }
      readers++;
      return channel;
    }
  }

  void release() {
    boolean idleSealed;
    synchronized (lock) {
      readers--;
      idleSealed = sealed && readers == 0;
    }
    if (idleSealed) {
      sealedFiles.released();
    }
  }

  /** Closes the file (a read using it fails with ClosedChannelException) and never reopens it. */
  void closeForGood() throws IOException {
    FileChannel open;
    synchronized (lock) {
      closed = true;
      open = channel;
      channel = null;
    }
    sealedFiles.forget(this);
    if (open != null) {
      open.close();
    }
  }

  private FileChannel open() throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }
}
