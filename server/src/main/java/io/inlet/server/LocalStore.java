package io.inlet.server;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import java.lang.reflect.InvocationTargetException;

/** Opens the local RocksDB store. */
final class LocalStore {
  private LocalStore() {}

  // TODO(server): call RocksStreamStore.open directly once the store branch is merged.
  static StreamStore open(StoreOptions options) {
    try {
      Class<?> impl = Class.forName("io.inlet.store.internal.RocksStreamStore");
      return (StreamStore) impl.getMethod("open", StoreOptions.class).invoke(null, options);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the store implementation is not on the classpath", e);
    }
  }
}
