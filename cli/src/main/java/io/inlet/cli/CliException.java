package io.inlet.cli;

/** A failure the CLI explains in one line ({@code error: <message>}) before exiting with 1. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
