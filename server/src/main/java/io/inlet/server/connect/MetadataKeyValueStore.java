package io.inlet.server.connect;

import io.inlet.api.state.KeyValueStore;
import io.inlet.store.MetadataCatalog;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The api's {@link KeyValueStore} on the store's metadata (same contract, durable per call). */
public final class MetadataKeyValueStore implements KeyValueStore {
  private final MetadataCatalog metadata;

  public MetadataKeyValueStore(MetadataCatalog metadata) {
    this.metadata = metadata;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    metadata.put(namespace, key, value);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return metadata.get(namespace, key);
  }

  @Override
  public boolean delete(String namespace, String key) {
    return metadata.delete(namespace, key);
  }

  @Override
  public Map<String, byte[]> list(String namespace) {
    return metadata.list(namespace);
  }

  @Override
  public void apply(String namespace, Map<String, byte[]> puts, Collection<String> deletes) {
    metadata.apply(namespace, puts, deletes);
  }
}
