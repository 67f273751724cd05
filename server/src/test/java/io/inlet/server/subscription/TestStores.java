package io.inlet.server.subscription;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the store the integration tests run against: the RocksDB store when it is on the class
 * path, otherwise the in-memory fake (kept per directory, so reopening the same directory sees the
 * same data, like a restart).
 */
final class TestStores {
  private static final Map<Path, FakeStreamStore.Data> FAKES = new ConcurrentHashMap<>();

  private TestStores() {}

  static StreamStore open(Path dir) {
    try {
      Class<?> rocks = Class.forName("io.inlet.store.internal.RocksStreamStore");
      return (StreamStore)
          rocks.getMethod("open", StoreOptions.class).invoke(null, StoreOptions.defaults(dir));
    } catch (ClassNotFoundException e) {
      return new FakeStreamStore(FAKES.computeIfAbsent(dir, d -> new FakeStreamStore.Data()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot open the store in " + dir, e);
    }
  }
}
