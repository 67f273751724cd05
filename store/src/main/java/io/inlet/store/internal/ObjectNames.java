package io.inlet.store.internal;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;

/**
 * The rules for the names of streams and the ids of subscriptions and readers, like HStreamDB's
 * identifiers: 1 to 255 characters from ASCII letters, digits, {@code _}, {@code -} and {@code .},
 * starting with a letter or a digit. Names starting with {@code _} are left for Inlet's own use.
 * Names are case-sensitive.
 */
final class ObjectNames {
  static final int MAX_LENGTH = 255;

  private ObjectNames() {}

  /**
   * @param what the kind of name for the message, e.g. "stream name"
   * @throws InletException with {@code code} when the name breaks a rule; the message says which
   */
  static String requireValid(String what, String name, ErrorCode code) {
    String problem = problem(name);
    if (problem != null) {
      throw new InletException(
          code,
          what
              + " "
              + (name == null ? "(none)" : "\"" + name + "\"")
              + " is invalid: "
              + problem
              + "; use 1 to "
              + MAX_LENGTH
              + " letters, digits, '_', '-' or '.', starting with a letter or digit");
    }
    return name;
  }

  private static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "it is empty";
    }
    if (name.length() > MAX_LENGTH) {
      return "it has " + name.length() + " characters";
    }
    if (!isLetterOrDigit(name.charAt(0))) {
      return "it starts with '" + name.charAt(0) + "'";
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isLetterOrDigit(c) && c != '_' && c != '-' && c != '.') {
        return "character '" + c + "' is not allowed";
      }
    }
    return null;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
