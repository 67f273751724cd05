package io.inlet.server.cli;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real Inlet node in this JVM: ephemeral ports, its own temporary data directory. */
final class TestNode implements AutoCloseable {
  private final Path dataDir;
  private final InletServer server;

  private TestNode(Path dataDir, InletServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  static TestNode start() throws IOException {
    Path dir = Files.createTempDirectory("inlet-cli-it-");
    try {
      return new TestNode(dir, InletServer.start(ServerConfig.forTests(dir)));
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /** {@code host:port} for {@code --server}. */
  String address() {
    return "127.0.0.1:" + server.grpcPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
    delete(dataDir);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
