package io.inlet.server.testing;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Starts in-process servers for tests on ephemeral ports, and reads their HTTP endpoints. */
public final class TestServers {
  private TestServers() {}

  /** A node on ports 0 with its data in {@code dataDir}. */
  public static InletServer start(Path dataDir) {
    return start(ServerConfig.forTests(dataDir));
  }

  public static InletServer start(ServerConfig config) {
    return InletServer.start(config);
  }

  /** The status code of the node's {@code GET /ready}, or -1 when it did not answer. */
  public static int ready(InletServer server) {
    try {
      return httpGet(server, "/ready").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** {@code GET path} on the node's HTTP port. */
  public static HttpResponse<String> httpGet(InletServer server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A {@code metadata-nodes} value for nodes 1 to {@code count} on loopback ({@code
   * 1@127.0.0.1:P1,2@127.0.0.1:P2,...}), each on a free port ({@link FreePorts}).
   */
  public static String metadataNodes(int count) {
    int[] ports = FreePorts.distinct(count);
    StringBuilder out = new StringBuilder();
    for (int id = 1; id <= count; id++) {
      out.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(ports[id - 1]);
    }
    return out.toString();
  }
}
