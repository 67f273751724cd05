package io.inlet.store.segment;

import java.nio.file.Path;

/**
 * Opening found damage that recovery must not repair by itself: a bad entry followed by valid ones
 * (damage in the middle, not a torn tail), a gap between segments, a damaged sealed segment, or a
 * torn tail after a clean shutdown. Nothing was changed on disk.
 */
public final class SegmentDamagedException extends SegmentLogException {
  private final Path file;
  private final long position;

  public SegmentDamagedException(Path file, long position, String what) {
    super(file + " at byte " + position + ": " + what);
    this.file = file;
    this.position = position;
  }

  public Path file() {
    return file;
  }

  public long position() {
    return position;
  }
}
