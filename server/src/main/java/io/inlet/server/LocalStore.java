package io.inlet.server;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import io.inlet.store.internal.RocksStreamStore;

/** Opens the local RocksDB store. */
final class LocalStore {
  private LocalStore() {}

  static StreamStore open(StoreOptions options) {
    return RocksStreamStore.open(options);
  }
}
