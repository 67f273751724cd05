package io.inlet.api.naming;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;

/**
 * The rules for the names of streams and the ids of subscriptions and readers, like HStreamDB's
 * identifiers: 1 to 255 characters from ASCII letters, digits, {@code _}, {@code -} and {@code .},
 * starting with a letter or a digit. Names starting with {@code _} are left for Inlet's own use.
 * Names are case-sensitive. The one place these rules live: the store enforces them, and mapping
 * rules check stream names with them when a rule is added rather than at its first message.
 */
public final class ObjectNames {
  public static final int MAX_LENGTH = 255;

  /** How much of an over-long name a message shows. */
  private static final int SHOWN = 32;

  /**
   * The stream a subscription names once its stream was deleted with force, as HStreamDB lists it.
   * No stream can be created with this name (it starts with {@code _}), so such a subscription
   * never reads a new stream that gets its old stream's name.
   */
  public static final String ARCHIVED_STREAM = "__deleted_stream__";

  private ObjectNames() {}

  /**
   * @param what the kind of name for the message, e.g. "stream name"
   * @throws InletException with {@code code} when the name breaks a rule; the message says which
   */
  public static String requireValid(String what, String name, ErrorCode code) {
    String invalid = invalidMessage(what, name);
    if (invalid != null) {
      throw new InletException(code, invalid);
    }
    return name;
  }

  /**
   * What to tell the user about an invalid name, or null when the name is valid.
   *
   * @param what the kind of name for the message, e.g. "stream name"
   */
  public static String invalidMessage(String what, String name) {
    String problem = problem(name);
    if (problem == null) {
      return null;
    }
    return what
        + " "
        + quote(name)
        + " is invalid: "
        + problem
        + "; use 1 to "
        + MAX_LENGTH
        + " letters, digits, '_', '-' or '.', starting with a letter or digit";
  }

  /**
   * The name in double quotes for a message: in full up to {@link #MAX_LENGTH} characters, else its
   * start and its length, so that a client's oversized name is never echoed back whole.
   */
  public static String quote(String name) {
    if (name == null) {
      return "(none)";
    }
    if (name.length() <= MAX_LENGTH) {
      return "\"" + name + "\"";
    }
    return "\"" + name.substring(0, SHOWN) + "…\" (" + name.length() + " characters)";
  }

  /** What is wrong with the name, or null when it is valid. */
  public static String problem(String name) {
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
