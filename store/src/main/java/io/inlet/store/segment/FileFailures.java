package io.inlet.store.segment;

import java.io.IOException;
import java.util.Locale;

/** Failed file operations (a write, sync or truncation) in words a user can act on. */
public final class FileFailures {
  private FileFailures() {}

  /**
   * The cause of a failed file operation in plain words: the innermost I/O failure's text, e.g.
   * "the disk is full (No space left on device)".
   */
  public static String describe(Throwable failure) {
    Throwable io = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        io = t;
      }
    }
    Throwable cause = io != null ? io : failure;
    String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String known = inPlainWords(text);
    return known != null ? known : io != null ? "I/O error (" + text + ")" : text;
  }

  /**
   * An operating system's error text (from Java or RocksDB) in plain words when it is one a user
   * can act on (a full disk, a read-only file system, permissions, the open-file limit); null
   * otherwise.
   */
  public static String inPlainWords(String text) {
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left")) {
      return "the disk is full (" + text + ")";
    }
    if (lower.contains("read-only file system")) {
      return "the file system is read-only (" + text + ")";
    }
    if (lower.contains("permission denied")) {
      return "permission denied (" + text + ")";
    }
    if (lower.contains("too many open files")) {
      return "too many open files (" + text + "): raise the process's limit (ulimit -n)";
    }
    return null;
  }
}
