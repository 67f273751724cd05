package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /ready of nodes started with {@code metadata-nodes}: a node is ready only while it is caught up
 * with a metadata group that has a majority, and says why not otherwise.
 */
class MetadataReadinessIT {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final Map<Integer, InletServer> servers = new TreeMap<>();
  private String metadataNodes;

  @AfterEach
  void closeAll() {
    servers.values().forEach(InletServer::close);
  }

  @Test
  void a_node_is_ready_only_while_a_majority_of_the_metadata_nodes_answers() throws Exception {
    metadataNodes = TestServers.metadataNodes(3);
    InletServer first = start(1);

    Await.until(
        "node 1 alone answers /ready with the metadata's reason",
        CONVERGE,
        () -> readyBody(first).contains("\"metadata\":\"not caught up\""));
    var alone = TestServers.httpGet(first, "/ready");
    assertThat(alone.statusCode()).isEqualTo(503);
    assertThat(alone.body()).contains("\"ready\":false").contains("majority");
    // Its MQTT listener refuses publishes until the cluster's mapping rules are read: /ready says
    // so.
    assertThat(alone.body()).contains("\"mqttRules\":\"not read yet\"");

    InletServer second = start(2);
    Await.until(
        "nodes 1 and 2 are ready once they form a majority",
        CONVERGE,
        () -> TestServers.ready(first) == 200 && TestServers.ready(second) == 200);
    assertThat(TestServers.httpGet(first, "/ready").body())
        .doesNotContain("metadata")
        .doesNotContain("mqttRules");

    servers.remove(2).close();
    Await.until(
        "node 1 is not ready once it is alone again",
        CONVERGE,
        () -> TestServers.ready(first) == 503);
  }

  private InletServer start(int id) {
    InletServer server =
        TestServers.start(
            ServerConfig.forTests(
                dir.resolve("node-" + id),
                Map.of(
                    "node-id",
                    Integer.toString(id),
                    "metadata-nodes",
                    metadataNodes,
                    "mqtt-port",
                    "0")));
    servers.put(id, server);
    return server;
  }

  private static String readyBody(InletServer server) {
    try {
      return TestServers.httpGet(server, "/ready").body();
    } catch (Exception e) {
      return "";
    }
  }
}
