package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.ConfigException;
import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.client.MqttProtocol;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.NonJsonPolicy;
import io.inlet.bridge.rules.PayloadMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttRoutingConfigLoaderTest {
  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path file = dir.resolve("inlet.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private RoutingConfig load(String yaml) throws IOException {
    return MqttRoutingConfigLoader.load(file(yaml));
  }

  @Test
  void no_file_and_no_sections_mean_the_built_in_rule_and_no_bridges() throws IOException {
    assertThat(MqttRoutingConfigLoader.load(null)).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(load("grpc-port: 7000\n")).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(load("rules: []\n").rules()).contains(List.of());
  }

  @Test
  void rules_are_read_in_file_order_with_defaults() throws IOException {
    RoutingConfig config =
        load(
            """
            rules:
              - name: temps
                topic: sensors/+/temp
                stream: temperatures
                key: ${topic.2}
                payload: json
                non-json: raw
                auto-create: false
                shards: 4
                position: 10
              - name: rest
                topic: '#'
                stream: everything
            """);
    List<MappingRule> rules = config.rules().orElseThrow();
    assertThat(rules).extracting(MappingRule::name).containsExactly("temps", "rest");
    MappingRule temps = rules.get(0);
    assertThat(temps.topicFilter().toString()).isEqualTo("sensors/+/temp");
    assertThat(temps.keyTemplate().toString()).isEqualTo("${topic.2}");
    assertThat(temps.payloadMode()).isEqualTo(PayloadMode.JSON);
    assertThat(temps.nonJson()).isEqualTo(NonJsonPolicy.RAW);
    assertThat(temps.autoCreateStream()).isFalse();
    assertThat(temps.shardCount()).isEqualTo(4);
    assertThat(temps.position()).isEqualTo(10);
    MappingRule rest = rules.get(1);
    assertThat(rest.keyTemplate().toString()).isEqualTo("${clientid}");
    assertThat(rest.payloadMode()).isEqualTo(PayloadMode.RAW);
    assertThat(rest.autoCreateStream()).isTrue();
    assertThat(rest.position()).isEqualTo(100);
  }

  @Test
  void bridges_are_read_with_defaults_and_shared_groups() throws IOException {
    Files.writeString(dir.resolve("secret"), "s3cret\n");
    RoutingConfig config =
        load(
            """
            bridges:
              - name: plant
                host: broker.example
                topics: [sensors/#, alarms/+]
                shared-group: inlet
                username: inlet
                password-file: secret
                mqtt-version: 3.1.1
                session-expiry: 1d
                reconnect-delay-min: 500ms
                reconnect-delay-max: 30s
              - name: tls
                host: secure.example
                tls: true
                topics: $share/g/a/#
            """);
    BridgeSpec plant = config.bridges().get(0);
    assertThat(plant.port()).isEqualTo(1883);
    assertThat(plant.protocol()).isEqualTo(MqttProtocol.V3_1_1);
    assertThat(plant.subscriptions())
        .containsExactly("$share/inlet/sensors/#", "$share/inlet/alarms/+");
    assertThat(plant.username()).isEqualTo("inlet");
    assertThat(plant.password()).isEqualTo("s3cret");
    assertThat(plant.sessionExpiry()).isEqualTo(Duration.ofDays(1));
    assertThat(plant.reconnectMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(plant.clientId()).isNull();
    assertThat(plant.toString()).doesNotContain("s3cret");
    BridgeSpec tls = config.bridges().get(1);
    assertThat(tls.port()).isEqualTo(8883);
    assertThat(tls.tls()).isNotNull();
    assertThat(tls.protocol()).isEqualTo(MqttProtocol.V5);
    assertThat(tls.subscriptions()).containsExactly("$share/g/a/#");
  }

  @Test
  void errors_name_the_entry_and_the_key() throws IOException {
    Map<String, String> cases =
        Map.of(
            "rules:\n  - name: r\n    topic: a/#/b\n    stream: s\n",
            "rules[0] (r): topic: rule \"r\": topic filter \"a/#/b\" is invalid",
            "rules:\n  - name: r\n    topic: a\n    stream: s\n    key: ${nope}\n",
            "unknown placeholder ${nope}",
            "rules:\n  - name: r\n    topik: a\n",
            "rules[0] (r): unknown key topik; known: name, topic, stream",
            "rules:\n  - name: r\n    topic: a\n    stream: s\n    shards: many\n",
            "rules[0] (r): shards: shards must be",
            "rules: nope\n",
            "rules must be a list of mappings",
            "bridges:\n  - name: b\n    topics: [a]\n",
            "bridges[0] (b): host: bridge \"b\": host is required",
            "bridges:\n  - name: b\n    host: h\n    topics: []\n",
            "topics must list at least one topic filter",
            "bridges:\n  - name: b\n    host: h\n    topics: [a]\n    mqtt-version: 4.0\n",
            "mqtt-version must be 3.1.1 or 5, found: 4.0",
            "bridges:\n  - name: b\n    host: h\n    topics: [a]\n    tls: {ca-file: missing.pem}\n",
            "tls.ca-file",
            "bridges:\n  - name: b\n    host: h\n    topics: ['$share//a']\n",
            "the group must be a non-empty name");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThatThrownBy(() -> load(c.getKey()))
          .as(c.getKey())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(c.getValue());
    }
  }

  @Test
  void the_server_settings_loader_leaves_the_sections_alone() throws IOException {
    Path file =
        file(
            """
            grpc-port: 7001
            rules:
              - name: r
                topic: a
                stream: s
            bridges: []
            """);
    assertThat(ServerConfigLoader.load(Map.of(), file).grpcPort()).isEqualTo(7001);
  }

  @Test
  void docs_mqtt_md_carries_the_generated_tables() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "mqtt.md"));
    assertThat(doc)
        .as("docs/mqtt.md is out of date: paste MqttRoutingConfigLoader.markdown() into it")
        .contains(MqttRoutingConfigLoader.markdown());
  }
}
