package io.inlet.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the bound ports as JSON once the node is ready, for tests and tools that start it on
 * ephemeral ports: {@code {"grpcPort":6570,"httpPort":9464,"advertisedAddress":"127.0.0.1",
 * "pid":1234}}. The file appears atomically.
 */
final class PortFile {
  private PortFile() {}

  static void write(Path file, InletServer server) throws IOException {
    String json =
        "{\"grpcPort\":"
            + server.grpcPort()
            + ",\"httpPort\":"
            + server.httpPort()
            + ",\"advertisedAddress\":\""
            + server.node().advertisedHost()
            + "\",\"pid\":"
            + ProcessHandle.current().pid()
            + "}\n";
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.writeString(temp, json);
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
