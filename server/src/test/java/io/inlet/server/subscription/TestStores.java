package io.inlet.server.subscription;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import io.inlet.store.internal.RocksStreamStore;
import java.nio.file.Path;

/** Opens the RocksDB store the integration tests run against. */
final class TestStores {
  private TestStores() {}

  static StreamStore open(Path dir) {
    return RocksStreamStore.open(StoreOptions.defaults(dir));
  }
}
