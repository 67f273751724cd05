package io.inlet.sql.pull;

/**
 * A pull query failed on a value while running: a string that does not cast, a division by zero, an
 * integer overflow. The message names the operation and the value.
 */
public final class PullEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PullEvaluationException(String message) {
    super(message);
  }
}
