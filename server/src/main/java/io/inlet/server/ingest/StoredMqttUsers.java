package io.inlet.server.ingest;

import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.server.admin.MqttUsers;
import io.inlet.store.MetadataCatalog;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT users kept in the store's metadata, namespace {@value #NAMESPACE}: key the username, value
 * its password hash (the password file's format, UTF-8). Managed through the admin API ({@code
 * inlet user add} without a password file). In a cluster the catalog is the cluster's replicated
 * metadata, so a user added through any node is taken by every node's MQTT listener. Each change
 * through this node, and each {@link #reload}, hands the whole set to the listener's authenticator
 * ({@link #checkedBy}).
 */
public final class StoredMqttUsers implements MqttUsers {
  static final String NAMESPACE = "mqtt.users";
  private static final Logger log = LoggerFactory.getLogger(StoredMqttUsers.class);

  private final MetadataCatalog metadata;
  private volatile Map<String, String> current = Map.of();
  private volatile Authenticator authenticator;

  StoredMqttUsers(MetadataCatalog metadata) {
    this.metadata = metadata;
  }

  /** Has {@code authenticator} check these users, as last read, now and after each change. */
  void checkedBy(Authenticator authenticator) {
    this.authenticator = authenticator;
    authenticator.useStoredUsers(current);
  }

  /** The metadata namespace the users are kept in. */
  public static String namespace() {
    return NAMESPACE;
  }

  /**
   * Reads the users again and hands them on (at start, and when another node changed them).
   *
   * @throws io.inlet.api.error.StoreUnavailableException when they cannot be read; the users in
   *     effect stay
   */
  public void reload() {
    Map<String, String> hashes = new LinkedHashMap<>();
    metadata
        .list(NAMESPACE)
        .forEach(
            (username, value) -> {
              String hash = new String(value, StandardCharsets.UTF_8);
              if (PasswordHasher.isSupported(hash)) {
                hashes.put(username, hash);
              } else {
                log.warn(
                    "stored MQTT user \"{}\" is ignored: its hash is not one Inlet reads",
                    username);
              }
            });
    current = hashes;
    Authenticator a = authenticator;
    if (a != null) {
      a.useStoredUsers(hashes);
    }
  }

  @Override
  public boolean put(String username, String hash) {
    PasswordFile.checkUsername(username);
    if (!PasswordHasher.isSupported(hash)) {
      throw new IllegalArgumentException(
          "password_hash is not a hash Inlet reads (expected $pbkdf2-sha256$… or Mosquitto's $7$…)");
    }
    boolean created = metadata.get(NAMESPACE, username).isEmpty();
    metadata.put(NAMESPACE, username, hash.getBytes(StandardCharsets.UTF_8));
    reload();
    return created;
  }

  @Override
  public boolean delete(String username) {
    boolean deleted = metadata.delete(NAMESPACE, username);
    reload();
    return deleted;
  }

  @Override
  public List<String> usernames() {
    return List.copyOf(metadata.list(NAMESPACE).keySet());
  }
}
