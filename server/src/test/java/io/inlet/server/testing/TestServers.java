package io.inlet.server.testing;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import java.nio.file.Path;

/** Starts in-process servers for tests on ephemeral ports. */
public final class TestServers {
  private TestServers() {}

  /** A node on ports 0 with its data in {@code dataDir}. */
  public static InletServer start(Path dataDir) {
    return start(ServerConfig.forTests(dataDir));
  }

  public static InletServer start(ServerConfig config) {
    return InletServer.start(config);
  }
}
