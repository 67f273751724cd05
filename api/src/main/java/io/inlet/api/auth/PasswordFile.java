package io.inlet.api.auth;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MQTT password file: one {@code username:hash} line per user (see {@link PasswordHasher} for
 * the hash formats), {@code #} comments and blank lines ignored. Immutable; {@link #with} and
 * {@link #without} return changed copies, {@link #save} writes atomically with owner-only
 * permissions.
 */
public final class PasswordFile {
  private final Map<String, String> hashes;

  private PasswordFile(Map<String, String> hashes) {
    this.hashes = Collections.unmodifiableMap(hashes);
  }

  public static PasswordFile empty() {
    return new PasswordFile(new LinkedHashMap<>());
  }

  /**
   * Reads a password file.
   *
   * @throws AuthFileException when it cannot be read or a line is not {@code username:hash}
   */
  public static PasswordFile load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new AuthFileException("password file " + file + " does not exist");
    } catch (IOException e) {
      throw new AuthFileException("cannot read password file " + file + ": " + e.getMessage());
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String where = "password file " + file + " line " + (i + 1);
      if (colon <= 0) {
        throw new AuthFileException(where + ": expected username:hash");
      }
      String hash = line.substring(colon + 1);
      if (!PasswordHasher.isSupported(hash)) {
        throw new AuthFileException(
            where + ": unsupported hash (expected $pbkdf2-sha256$… or Mosquitto's $7$…)");
      }
      hashes.put(line.substring(0, colon), hash);
    }
    return new PasswordFile(hashes);
  }

  /** Reads the file, or an empty one when it does not exist yet. */
  public static PasswordFile loadOrEmpty(Path file) {
    return Files.exists(file) ? load(file) : empty();
  }

  /** Checks a username can be stored: not empty, no ':', no control characters. */
  public static void checkUsername(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("username must not be empty");
    }
    for (int i = 0; i < username.length(); i++) {
      char c = username.charAt(i);
      if (c == ':' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "username must not contain ':' or control characters, found: " + username);
      }
    }
  }

  public PasswordFile with(String username, String hash) {
    checkUsername(username);
    Map<String, String> copy = new LinkedHashMap<>(hashes);
    copy.put(username, hash);
    return new PasswordFile(copy);
  }

  public PasswordFile without(String username) {
    Map<String, String> copy = new LinkedHashMap<>(hashes);
    copy.remove(username);
    return new PasswordFile(copy);
  }

  public Optional<String> hashOf(String username) {
    return Optional.ofNullable(hashes.get(username));
  }

  public boolean contains(String username) {
    return hashes.containsKey(username);
  }

  public List<String> usernames() {
    return new ArrayList<>(hashes.keySet());
  }

  /** Writes the file atomically (a sibling temp file moved over it), readable by its owner only. */
  public void save(Path file) throws IOException {
    StringBuilder text =
        new StringBuilder("# Inlet MQTT users; manage with: inlet user add|delete\n");
    hashes.forEach((user, hash) -> text.append(user).append(':').append(hash).append('\n'));
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.deleteIfExists(temp);
      Files.createFile(temp);
    }
    Files.writeString(temp, text);
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
