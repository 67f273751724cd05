package io.inlet.cdc.sink;

/** A record the sink cannot apply to the table; it goes to the dead-letter stream. */
final class PoisonRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PoisonRecordException(String message) {
    super(message);
  }
}
