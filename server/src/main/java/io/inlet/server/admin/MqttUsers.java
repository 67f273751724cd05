package io.inlet.server.admin;

import java.util.List;

/** The MQTT users the node keeps in its store, as the admin API manages them. */
public interface MqttUsers {

  /**
   * Adds {@code username}, or changes its password; durable when it returns.
   *
   * @param hash the password's hash in the password file's format
   * @return true when the user is new
   * @throws IllegalArgumentException for a username the password file could not hold either, or a
   *     hash Inlet cannot verify
   */
  boolean put(String username, String hash);

  /**
   * Deletes {@code username}; durable when it returns.
   *
   * @return false when there was no such user
   */
  boolean delete(String username);

  /** The usernames, sorted. */
  List<String> usernames();
}
