package io.inlet.server;

import java.io.IOException;
import java.net.BindException;

/** Turns what goes wrong while a node starts into {@link StartupException}s a user can act on. */
final class StartupFailures {
  private StartupFailures() {}

  /**
   * "SETTING PORT is already in use; choose another ...", or why the port cannot be listened on.
   */
  static StartupException bindFailure(IOException e, String setting, int port) {
    if (addressInUse(e)) {
      return new StartupException(
          setting
              + " "
              + port
              + " is already in use; choose another with --"
              + setting
              + " (0 picks a free port)",
          e);
    }
    return new StartupException("cannot listen on " + setting + " " + port + ": " + describe(e), e);
  }

  static boolean addressInUse(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /** The first line of the innermost message that says something. */
  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
