package io.inlet.api.state;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A small durable key-value space for components outside the store that keep state on the node
 * (connector definitions, Debezium offsets and schema history, sink positions). Entries live in
 * named namespaces, so components never see each other's keys; values are opaque bytes whose
 * encoding the component owns. The server binds it to the store's metadata.
 *
 * <p>Every mutation is durable (fsync'd) when it returns. Meant for small, rarely written data, not
 * for records. Calls block on I/O: never call them on an event loop. Implementations are
 * thread-safe.
 *
 * <p>Namespaces are 1 to 255 characters without the NUL character; keys are 1 to 1024 characters;
 * violations throw {@link IllegalArgumentException}. A store that cannot write throws {@link
 * io.inlet.api.error.StoreUnavailableException}; nothing of the failed call is then applied.
 */
public interface KeyValueStore {

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
   * visible or none. A key in both is deleted.
   */
  void apply(String namespace, Map<String, byte[]> puts, Collection<String> deletes);
}
