package io.inlet.store.segment;

/** A segment log cannot do what was asked: its files cannot be written or read, or it is closed. */
public class SegmentLogException extends RuntimeException {
  public SegmentLogException(String message) {
    super(message);
  }

  public SegmentLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
