package io.inlet.server.subscription;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import java.nio.file.Path;

/** Opens the RocksDB store the integration tests run against. */
final class TestStores {
  private TestStores() {}

  static StreamStore open(Path dir) {
    return StreamStore.open(StoreOptions.defaults(dir));
  }
}
