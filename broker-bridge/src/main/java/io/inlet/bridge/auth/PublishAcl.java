package io.inlet.bridge.auth;

import io.inlet.api.auth.AuthFileException;
import io.inlet.api.topic.TopicFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may publish to which topics, read from an ACL file in a subset of Mosquitto's format:
 *
 * <pre>
 * # before any "user" line: entries for anonymous clients
 * topic write public/#
 * user alice
 * topic write sensors/alice/#
 * topic deny sensors/alice/secret
 * # every client; %u = its verified username, %c = its client id
 * pattern write devices/%u/%c/#
 * </pre>
 *
 * Access is {@code write}, {@code readwrite} (both grant publishing), {@code read} (ignored: Inlet
 * does not deliver messages) or {@code deny}; omitted, it is {@code readwrite}. A publish is
 * allowed when an entry of the client grants it and no entry of the client denies it. Without an
 * ACL file ({@link #ALLOW_ALL}) every client may publish everywhere.
 *
 * <p>Substitutions: {@code %u} is the verified username ({@link Identity}), never one an anonymous
 * client sent. {@code %c} is the client id, which every client chooses for itself: it proves
 * nothing about who the client is (any client may connect with any id), so a {@code %c} pattern
 * keeps well-behaved clients apart but is no boundary between users; {@code devices/%u/%c/#} is
 * one. An anonymous client has nothing verified to substitute: it gets no pattern with {@code %u}
 * or {@code %c}, only the anonymous entries and the patterns without substitutions. A value that is
 * empty or holds {@code /}, {@code +}, {@code #} or NUL is never substituted (the pattern does not
 * apply), so a client cannot widen a pattern by naming itself {@code #}.
 */
public final class PublishAcl {
  /** No ACL file: every publish is allowed. */
  public static final PublishAcl ALLOW_ALL = new PublishAcl(null, List.of(), Map.of(), List.of());

  private static final String USERNAME = "%u";
  private static final String CLIENT_ID = "%c";

  private enum Access {
    WRITE,
    READ,
    DENY
  }

  /**
   * @param substitutes whether the filter holds {@code %u} or {@code %c} (patterns only)
   */
  private record Entry(Access access, String filter, boolean substitutes) {}

  private final Path file;
  private final List<Entry> anonymous;
  private final Map<String, List<Entry>> users;
  private final List<Entry> patterns;

  private PublishAcl(
      Path file, List<Entry> anonymous, Map<String, List<Entry>> users, List<Entry> patterns) {
    this.file = file;
    this.anonymous = anonymous;
    this.users = users;
    this.patterns = patterns;
  }

  /**
   * Reads an ACL file.
   *
   * @throws AuthFileException naming the file and line of a bad entry
   */
  public static PublishAcl load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new AuthFileException("acl file " + file + " does not exist");
    } catch (IOException e) {
      throw new AuthFileException("cannot read acl file " + file + ": " + e.getMessage());
    }
    List<Entry> anonymous = new ArrayList<>();
    Map<String, List<Entry>> users = new HashMap<>();
    List<Entry> patterns = new ArrayList<>();
    List<Entry> current = anonymous;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "acl file " + file + " line " + (i + 1) + ": ";
      String[] words = line.split("\\s+", 2);
      String keyword = words[0].toLowerCase(Locale.ROOT);
      String rest = words.length > 1 ? words[1].strip() : "";
      switch (keyword) {
        case "user" -> {
          if (rest.isEmpty()) {
            throw new AuthFileException(where + "user needs a name");
          }
          current = users.computeIfAbsent(rest, u -> new ArrayList<>());
        }
        case "topic" -> current.add(entry(rest, where, false));
        case "pattern" -> patterns.add(entry(rest, where, true));
        default ->
            throw new AuthFileException(
                where + "expected user, topic or pattern, found: " + words[0]);
      }
    }
    return new PublishAcl(file, List.copyOf(anonymous), Map.copyOf(users), List.copyOf(patterns));
  }

  private static Entry entry(String text, String where, boolean pattern) {
    String[] words = text.split("\\s+", 2);
    Access access = Access.WRITE;
    String filter = text;
    if (words.length == 2) {
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "write", "readwrite" -> access = Access.WRITE;
        case "read" -> access = Access.READ;
        case "deny" -> access = Access.DENY;
        default ->
            throw new AuthFileException(
                where + "access must be read, write, readwrite or deny, found: " + words[0]);
      }
      filter = words[1].strip();
    }
    if (filter.isEmpty()) {
      throw new AuthFileException(where + "missing topic filter");
    }
    boolean substitutes = pattern && (filter.contains(USERNAME) || filter.contains(CLIENT_ID));
    String check = substitutes ? filter.replace(USERNAME, "u").replace(CLIENT_ID, "c") : filter;
    if (!TopicFilter.isValid(check)) {
      throw new AuthFileException(where + "invalid topic filter: " + filter);
    }
    return new Entry(access, filter, substitutes);
  }

  /** The file it was read from, or null for {@link #ALLOW_ALL}. */
  public Path file() {
    return file;
  }

  /** Whether {@code who} (connected as {@code clientId}) may publish to {@code topic}. */
  public boolean mayPublish(Identity who, String clientId, String topic) {
    if (file == null) {
      return true;
    }
    boolean verified = who.authenticated();
    List<Entry> own = verified ? users.getOrDefault(who.username(), List.of()) : anonymous;
    boolean granted = false;
    for (Entry e : own) {
      if (TopicFilter.matches(e.filter, topic)) {
        if (e.access == Access.DENY) {
          return false;
        }
        granted |= e.access == Access.WRITE;
      }
    }
    for (Entry e : patterns) {
      if (e.substitutes && !verified) {
        continue;
      }
      String filter = e.substitutes ? substitute(e.filter, who.username(), clientId) : e.filter;
      if (filter != null && TopicFilter.matches(filter, topic)) {
        if (e.access == Access.DENY) {
          return false;
        }
        granted |= e.access == Access.WRITE;
      }
    }
    return granted;
  }

  /**
   * The filter with %u and %c replaced; null when a needed value is missing or not a plain level.
   */
  private static String substitute(String filter, String username, String clientId) {
    String result = filter;
    if (result.contains(USERNAME)) {
      if (!plainLevel(username)) {
        return null;
      }
      result = result.replace(USERNAME, username);
    }
    if (result.contains(CLIENT_ID)) {
      if (!plainLevel(clientId)) {
        return null;
      }
      result = result.replace(CLIENT_ID, clientId);
    }
    return result;
  }

  private static boolean plainLevel(String value) {
    return value != null
        && !value.isEmpty()
        && value.indexOf('/') < 0
        && value.indexOf('+') < 0
        && value.indexOf('#') < 0
        && value.indexOf('\0') < 0;
  }
}
