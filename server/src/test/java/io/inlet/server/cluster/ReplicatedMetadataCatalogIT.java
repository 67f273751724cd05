package io.inlet.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.cluster.ClusterConfigKeys;
import io.inlet.cluster.metadata.MetadataSettings;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's metadata contract over three real metadata nodes (Ratis on loopback), configured as a
 * user would with {@code metadata-nodes}: what one node's catalog writes, the others read.
 */
class ReplicatedMetadataCatalogIT {
  private static final String RULES = "mqtt.rules";

  @TempDir Path dir;
  private final List<ReplicatedMetadata> nodes = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (ReplicatedMetadata node : nodes) {
      node.close();
    }
  }

  @Test
  void a_rule_saved_on_one_node_is_listed_on_another_and_deletes_are_exact() throws Exception {
    String list = TestServers.metadataNodes(3);
    List<ReplicatedMetadataCatalog> catalogs = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      MetadataSettings settings =
          ClusterConfigKeys.metadata(
                  values(Map.of("metadata-nodes", list)), dir.resolve("n" + id), id)
              .orElseThrow();
      assertThat(settings.dataDir()).isEqualTo(dir.resolve("n" + id).resolve("raft"));
      ReplicatedMetadata node = ReplicatedMetadata.start(settings);
      nodes.add(node);
      catalogs.add(new ReplicatedMetadataCatalog(node));
    }

    awaitLeader(nodes);
    catalogs.get(0).put(RULES, "temps", bytes("sensors/+/temp -> temps"));
    catalogs.get(1).apply(RULES, Map.of("hums", bytes("h"), "gone", bytes("x")), List.of("gone"));

    assertThat(catalogs.get(2).list(RULES)).containsOnlyKeys("hums", "temps");
    assertThat(catalogs.get(2).get(RULES, "temps"))
        .hasValueSatisfying(
            v -> assertThat(new String(v, UTF_8)).isEqualTo("sensors/+/temp -> temps"));
    assertThat(catalogs.get(2).delete(RULES, "temps")).isTrue();
    assertThat(catalogs.get(0).delete(RULES, "temps")).isFalse();
    assertThat(catalogs.get(1).list(RULES)).containsOnlyKeys("hums");
    assertThatThrownBy(() -> catalogs.get(0).put("", "k", bytes("v")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nodes_started_with_metadata_nodes_share_one_metadata_space() throws Exception {
    String list = TestServers.metadataNodes(3);
    List<InletServer> servers = new ArrayList<>();
    try {
      for (int id = 1; id <= 3; id++) {
        servers.add(
            InletServer.start(
                ServerConfig.forTests(
                    dir.resolve("node-" + id),
                    Map.of("node-id", Integer.toString(id), "metadata-nodes", list))));
      }
      awaitLeader(servers.stream().map(n -> n.replicatedMetadata().orElseThrow()).toList());
      new ReplicatedMetadataCatalog(servers.get(0).replicatedMetadata().orElseThrow())
          .put(RULES, "temps", bytes("rule"));

      ReplicatedMetadataCatalog third =
          new ReplicatedMetadataCatalog(servers.get(2).replicatedMetadata().orElseThrow());
      assertThat(third.list(RULES)).containsOnlyKeys("temps");
      assertThat(dir.resolve("node-3").resolve("raft")).isDirectory();
    } finally {
      for (InletServer server : servers) {
        server.close();
      }
    }
  }

  @Test
  void a_node_without_a_majority_answers_store_unavailable() throws Exception {
    String list = TestServers.metadataNodes(3);
    MetadataSettings settings =
        ClusterConfigKeys.metadata(values(Map.of("metadata-nodes", list)), dir.resolve("n1"), 1)
            .orElseThrow()
            .withRequestTimeout(Duration.ofSeconds(2));
    ReplicatedMetadata alone = ReplicatedMetadata.start(settings);
    nodes.add(alone);

    assertThatThrownBy(() -> new ReplicatedMetadataCatalog(alone).put(RULES, "r", bytes("v")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no leader backed by a majority");
  }

  @Test
  void metadata_nodes_are_checked_where_they_are_set() {
    assertThat(ClusterConfigKeys.metadata(values(Map.of()), dir, 1)).isEmpty();
    assertThatThrownBy(() -> ClusterConfigKeys.METADATA_NODES.parse("1@a:7000,1@b:7000"))
        .hasMessageContaining("node id 1 is listed twice");
    MetadataSettings withDefaultPort =
        ClusterConfigKeys.metadata(
                values(Map.of("metadata-nodes", "1@a,2@b:7000", "raft-port", "7100")), dir, 3)
            .orElseThrow();
    assertThat(withDefaultPort.peers())
        .extracting(p -> p.address().port())
        .containsExactly(7100, 7000);
    assertThat(withDefaultPort.self()).isEmpty();
  }

  /** A cold start on a loaded machine may take longer than one request timeout to elect. */
  private static void awaitLeader(List<ReplicatedMetadata> group) {
    Await.until(
        "the metadata nodes elect a leader",
        Duration.ofSeconds(60),
        () -> group.stream().allMatch(n -> n.leaderId().isPresent()));
  }

  static OptionValues values(Map<String, String> given) {
    return new OptionValues() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get(Option<T> option) {
        String text = given.get(option.key());
        if (text == null && option.hasDerivedDefault()) {
          return (T) Optional.empty();
        }
        return option.parse(text == null ? option.defaultText() : text);
      }

      @Override
      public boolean isSet(Option<?> option) {
        return given.containsKey(option.key());
      }
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
