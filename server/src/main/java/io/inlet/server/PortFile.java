package io.inlet.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the bound ports as JSON once the node is ready, for tests and tools that start it on
 * ephemeral ports: {@code {"grpcPort":6570,"httpPort":9464,"mqttPort":1883,"mqttsPort":-1,
 * "wsPort":8083,"exhookPort":9000,"advertisedAddress":"127.0.0.1","pid":1234}} (MQTT ports -1 when
 * not listening; {@code exhookPort} only while ExHook runs). The file appears atomically.
 */
final class PortFile {
  private PortFile() {}

  static void write(Path file, InletServer server) throws IOException {
    String json =
        "{\"grpcPort\":"
            + server.grpcPort()
            + ",\"httpPort\":"
            + server.httpPort()
            + ",\"mqttPort\":"
            + server.mqttPort()
            + ",\"mqttsPort\":"
            + (server.mqttListener() == null ? -1 : server.mqttListener().tlsPort())
            + ",\"wsPort\":"
            + (server.mqttListener() == null ? -1 : server.mqttListener().webSocketPort())
            + (server.exhookPort() < 0 ? "" : ",\"exhookPort\":" + server.exhookPort())
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
