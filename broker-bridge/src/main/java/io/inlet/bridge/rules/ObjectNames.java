package io.inlet.bridge.rules;

/**
 * The naming rule of rules and streams, the store's (and HStreamDB's) identifier rule: 1 to 255
 * ASCII letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter or digit.
 * Checked here too so a bad stream name fails when the rule is added, not at the first message.
 */
final class ObjectNames {
  static final int MAX_LENGTH = 255;

  private ObjectNames() {}

  /** What is wrong with the name, or null when it is valid. */
  static String problem(String name) {
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
