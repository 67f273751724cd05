package io.inlet.cluster.metadata;

/**
 * A read sent through Raft's read path: one key, or the whole namespace when {@code key} is null.
 */
record MetadataQuery(String namespace, String key) {
  MetadataQuery {
    MetadataWrite.checkNamespace(namespace);
    if (key != null) {
      MetadataWrite.checkKey(key);
    }
  }

  boolean isList() {
    return key == null;
  }
}
