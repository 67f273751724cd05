package io.inlet.server.testing;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import java.nio.file.Path;

/** Starts in-process servers for tests on ephemeral ports. */
public final class TestServers {
  private TestServers() {}

  /** Whether the RocksDB store is on the classpath (it arrives from the store branch). */
  public static boolean realStore() {
    try {
      Class.forName("io.inlet.store.internal.RocksStreamStore");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** A node on ports 0 with its data in {@code dataDir}; the in-memory store if no real one. */
  public static InletServer start(Path dataDir) {
    return start(ServerConfig.forTests(dataDir));
  }

  public static InletServer start(ServerConfig config) {
    return realStore()
        ? InletServer.start(config)
        : InletServer.start(config, options -> new MemoryStreamStore());
  }
}
