package io.inlet.emqx;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EMQX templates in {@code config/} are valid HOCON and point at Inlet's default ports: ExHook
 * 9000, gRPC 6570, and the MQTT listener on 1884 (next to an EMQX holding 1883).
 */
class EmqxConfigFilesTest {
  private static Config parse(String name) {
    return ConfigFactory.parseFile(
        Path.of("config", name).toFile(),
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
  }

  @Test
  void exhook_server_dials_inlet_and_waits_longer_than_inlet_answers() {
    List<? extends Config> servers = parse("exhook.conf").getConfigList("exhook.servers");

    assertThat(servers).hasSize(1);
    Config inlet = servers.get(0);
    assertThat(inlet.getString("url")).isEqualTo("http://127.0.0.1:9000");
    assertThat(inlet.getBoolean("enable")).isTrue();
    assertThat(inlet.getString("failed_action")).isIn("deny", "ignore");
    assertThat(inlet.getDuration("request_timeout"))
        .isGreaterThan(ExHookSettings.DEFAULT_ANSWER_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void the_tls_exhook_server_dials_https_with_a_client_certificate() {
    List<? extends Config> servers = parse("exhook-tls.conf").getConfigList("exhook.servers");

    assertThat(servers).hasSize(1);
    Config inlet = servers.get(0);
    assertThat(inlet.getString("url")).startsWith("https://").endsWith(":9000");
    assertThat(inlet.getBoolean("ssl.enable")).isTrue();
    assertThat(inlet.getString("ssl.verify")).isEqualTo("verify_peer");
    assertThat(inlet.hasPath("ssl.cacertfile")).isTrue();
    assertThat(inlet.hasPath("ssl.certfile")).isTrue();
    assertThat(inlet.hasPath("ssl.keyfile")).isTrue();
    assertThat(inlet.getString("ssl.server_name_indication"))
        .isEqualTo(inlet.getString("url").replaceAll("^https://|:\\d+$", ""));
    assertThat(inlet.getDuration("request_timeout"))
        .isGreaterThan(ExHookSettings.DEFAULT_ANSWER_TIMEOUT);
  }

  @Test
  void hstreamdb_bridge_appends_to_inlets_grpc_port() {
    Config bridge = parse("hstreamdb-bridge-5.2-5.4.conf").getConfig("bridges.hstreamdb.inlet");

    assertThat(bridge.getString("url")).isEqualTo("http://127.0.0.1:6570");
    assertThat(bridge.getString("direction")).isEqualTo("egress");
    assertThat(bridge.getString("stream")).isEqualTo("mqtt_messages");
    assertThat(bridge.getString("record_template")).isEqualTo("${payload}");
    assertThat(bridge.getString("partition_key")).isEqualTo("${clientid}");
  }

  @Test
  void hstreamdb_action_uses_its_connector_and_a_rule_feeds_it() {
    Config conf = parse("hstreamdb-action-5.5-5.8.conf");

    assertThat(conf.getString("connectors.hstreamdb.inlet.url")).isEqualTo("http://127.0.0.1:6570");
    Config action = conf.getConfig("actions.hstreamdb.inlet");
    assertThat(conf.hasPath("connectors.hstreamdb." + action.getString("connector"))).isTrue();
    assertThat(action.getString("parameters.stream")).isEqualTo("mqtt_messages");
    assertThat(action.getString("parameters.record_template")).isEqualTo("${payload}");
    assertThat(conf.getStringList("rule_engine.rules.inlet_hstreamdb.actions"))
        .containsExactly("hstreamdb:inlet");
  }

  @Test
  void mqtt_bridge_forwards_with_qos_1_to_inlets_listener() {
    Config bridge = parse("mqtt-bridge-5.1-5.4.conf").getConfig("bridges.mqtt.inlet");

    assertThat(bridge.getString("server")).isEqualTo("127.0.0.1:1884");
    assertThat(bridge.getInt("egress.remote.qos")).isEqualTo(1);
    assertThat(bridge.getString("egress.remote.topic")).isEqualTo("${topic}");
    assertThat(bridge.getString("egress.remote.payload")).isEqualTo("${payload}");
    assertThat(bridge.getString("egress.local.topic")).isEqualTo("sensors/#");
  }

  @Test
  void mqtt_action_forwards_with_qos_1_through_its_connector() {
    Config conf = parse("mqtt-action-5.5.conf");

    assertThat(conf.getString("connectors.mqtt.inlet.server")).isEqualTo("127.0.0.1:1884");
    Config action = conf.getConfig("actions.mqtt.inlet");
    assertThat(conf.hasPath("connectors.mqtt." + action.getString("connector"))).isTrue();
    assertThat(action.getInt("parameters.qos")).isEqualTo(1);
    assertThat(action.getString("parameters.topic")).isEqualTo("${topic}");
    assertThat(conf.getStringList("rule_engine.rules.inlet_mqtt.actions"))
        .containsExactly("mqtt:inlet");
  }
}
