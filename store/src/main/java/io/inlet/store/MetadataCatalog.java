package io.inlet.store;

import java.util.Map;
import java.util.Optional;

/**
 * A small durable key-value space for components that keep their own metadata in the store (MQTT
 * mapping rules today; connector state later). Entries live in named namespaces ({@code
 * "mqtt.rules"}), so components never see each other's keys. Values are opaque bytes; each
 * component owns its encoding.
 *
 * <p>Every mutation is durable (fsync'd) when it returns. Meant for small, rarely written data: it
 * is not a place for records.
 *
 * <p>Namespaces are 1 to 255 characters without the NUL character; keys are 1 to 1024 characters.
 * Violations throw {@link IllegalArgumentException}. A store that cannot write throws {@link
 * io.inlet.api.error.StoreUnavailableException}.
 */
public interface MetadataCatalog {

  /** Sets {@code key} to {@code value}, replacing what it held. */
  void put(String namespace, String key, byte[] value);

  Optional<byte[]> get(String namespace, String key);

  /**
   * @return false when the key held nothing
   */
  boolean delete(String namespace, String key);

  /** Every entry of the namespace, in key order (by UTF-8 bytes); an unmodifiable map. */
  Map<String, byte[]> list(String namespace);

  /**
   * Applies puts and deletes to one namespace atomically: after a crash either all of them are
   * visible or none. A key in both maps is deleted.
   */
  void apply(String namespace, Map<String, byte[]> puts, Iterable<String> deletes);
}
