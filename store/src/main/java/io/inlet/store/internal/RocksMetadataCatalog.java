package io.inlet.store.internal;

import io.inlet.store.MetadataCatalog;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * {@link MetadataCatalog} in {@code meta} under tag {@link MetaKeys#KEY_VALUE}: {@code 'B'
 * namespace 0x00 key}. The NUL separator cannot occur in a namespace, so one namespace's prefix
 * never covers another's keys.
 */
final class RocksMetadataCatalog implements MetadataCatalog {
  static final int MAX_NAMESPACE_LENGTH = 255;
  static final int MAX_KEY_LENGTH = 1024;

  private final MetaStore meta;
  private final StoreGate gate;

  RocksMetadataCatalog(MetaStore meta, StoreGate gate) {
    this.meta = meta;
    this.gate = gate;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    byte[] rocksKey = key(namespace, key);
    if (value == null) {
      throw new IllegalArgumentException("metadata value for \"" + key + "\" must not be null");
    }
    gate.run(() -> meta.put(rocksKey, value, "write metadata " + namespace + "/" + key));
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    byte[] rocksKey = key(namespace, key);
    return gate.call(() -> Optional.ofNullable(meta.get(rocksKey)));
  }

  @Override
  public boolean delete(String namespace, String key) {
    byte[] rocksKey = key(namespace, key);
    return gate.call(
        () -> {
          // One writer at a time per key is the callers' business; the check only shapes the
          // answer.
          if (meta.get(rocksKey) == null) {
            return false;
          }
          meta.delete(rocksKey, "delete metadata " + namespace + "/" + key);
          return true;
        });
  }

  @Override
  public Map<String, byte[]> list(String namespace) {
    byte[] prefix = prefix(namespace);
    return gate.call(
        () -> {
          Map<String, byte[]> entries = new LinkedHashMap<>();
          meta.forEach(
              prefix,
              (rocksKey, value) ->
                  entries.put(
                      new String(
                          rocksKey,
                          prefix.length,
                          rocksKey.length - prefix.length,
                          StandardCharsets.UTF_8),
                      value));
          return Collections.unmodifiableMap(entries);
        });
  }

  @Override
  public void apply(String namespace, Map<String, byte[]> puts, Iterable<String> deletes) {
    Set<String> deleted = new HashSet<>();
    deletes.forEach(deleted::add);
    Map<byte[], byte[]> writes = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> put : puts.entrySet()) {
      if (put.getValue() == null) {
        throw new IllegalArgumentException(
            "metadata value for \"" + put.getKey() + "\" must not be null");
      }
      if (!deleted.contains(put.getKey())) {
        writes.put(key(namespace, put.getKey()), put.getValue());
      }
    }
    Set<byte[]> removals = new LinkedHashSet<>();
    for (String key : deleted) {
      removals.add(key(namespace, key));
    }
    gate.run(
        () -> {
          try (WriteBatch batch = new WriteBatch()) {
            StoreDatabase database = meta.database();
            for (Map.Entry<byte[], byte[]> write : writes.entrySet()) {
              batch.put(database.meta(), write.getKey(), write.getValue());
            }
            for (byte[] key : removals) {
              batch.delete(database.meta(), key);
            }
            meta.write(batch, "update metadata " + namespace);
          } catch (RocksDBException e) {
            throw StoreErrors.writeFailed(meta.database().dir(), "update metadata " + namespace, e);
          }
        });
  }

  private static byte[] prefix(String namespace) {
    if (namespace == null
        || namespace.isEmpty()
        || namespace.length() > MAX_NAMESPACE_LENGTH
        || namespace.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "metadata namespace must be 1 to "
              + MAX_NAMESPACE_LENGTH
              + " characters without NUL, found: "
              + (namespace == null ? "(none)" : "\"" + namespace + "\""));
    }
    byte[] named = MetaKeys.named(MetaKeys.KEY_VALUE, namespace);
    byte[] prefix = new byte[named.length + 1];
    System.arraycopy(named, 0, prefix, 0, named.length);
    return prefix;
  }

  private static byte[] key(String namespace, String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "metadata key must be 1 to "
              + MAX_KEY_LENGTH
              + " characters, found: "
              + (key == null ? "(none)" : key.length() + " characters"));
    }
    byte[] prefix = prefix(namespace);
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    byte[] rocksKey = new byte[prefix.length + utf8.length];
    System.arraycopy(prefix, 0, rocksKey, 0, prefix.length);
    System.arraycopy(utf8, 0, rocksKey, prefix.length, utf8.length);
    return rocksKey;
  }
}
