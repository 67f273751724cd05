package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC, ExHook and HTTP port settings: defaults, what goes together, clear errors. */
class NetworkConfigTest {
  @TempDir Path dir;

  private static ServerConfig load(Map<String, String> flags) {
    return ServerConfigLoader.load(flags, null);
  }

  @Test
  void defaults_close_silent_and_idle_connections_and_cap_every_port() {
    NetworkConfig network = load(Map.of()).network();
    assertThat(network.grpc().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(network.grpc().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(network.grpc().keepAliveInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(network.grpc().maxConnections()).isEqualTo(1000);
    assertThat(network.grpc().tls()).isNull();
    assertThat(network.exhook().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(network.exhook().maxConnections()).isEqualTo(128);
    assertThat(network.exhook().idleTimeout()).as("EMQX keeps its pool open").isZero();
    assertThat(network.exhook().keepAliveInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(network.http().maxConnections()).isEqualTo(64);
    assertThat(network.http().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(network.http().metricsToken()).isNull();
  }

  @Test
  void the_listeners_leave_the_store_a_core_unless_io_threads_is_set() {
    assertThat(load(Map.of()).network().ioThreads())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    assertThat(load(Map.of("io-threads", "6")).network().ioThreads()).isEqualTo(6);
    assertThatThrownBy(() -> load(Map.of("io-threads", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io-threads");
  }

  @Test
  void tls_files_go_together_and_a_client_ca_needs_a_certificate() {
    assertThatThrownBy(() -> load(Map.of("grpc-tls-cert-file", "/c.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("grpc-tls-cert-file and grpc-tls-key-file must be set together");
    assertThatThrownBy(() -> load(Map.of("exhook-tls-client-ca-file", "/ca.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "exhook-tls-client-ca-file needs exhook-tls-cert-file and exhook-tls-key-file");
    NetworkConfig network =
        load(Map.of(
                "grpc-tls-cert-file", "/c.pem",
                "grpc-tls-key-file", "/k.pem",
                "grpc-tls-client-ca-file", "/ca.pem"))
            .network();
    assertThat(network.grpc().authenticatesClients()).isTrue();
    assertThat(network.exhook().tls()).isNull();
  }

  @Test
  void bad_values_name_the_key() {
    assertThatThrownBy(() -> load(Map.of("grpc-max-connections", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grpc-max-connections must be");
    assertThatThrownBy(() -> load(Map.of("http-request-timeout", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http-request-timeout must be");
    assertThat(load(Map.of("grpc-idle-timeout", "0s")).network().grpc().idleTimeout()).isZero();
  }

  @Test
  void the_metrics_token_is_read_from_its_file_without_the_line_break() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    assertThat(load(Map.of("http-token-file", token.toString())).network().http().metricsToken())
        .isEqualTo("s3cret");
    assertThat(load(Map.of("http-token-file", token.toString())).network().http().toString())
        .doesNotContain("s3cret");

    Files.writeString(token, "\n");
    assertThatThrownBy(() -> load(Map.of("http-token-file", token.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http-token-file " + token + " is empty");
    Files.writeString(token, "two words");
    assertThatThrownBy(() -> load(Map.of("http-token-file", token.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("one token of visible ASCII characters");
    assertThatThrownBy(() -> load(Map.of("http-token-file", dir.resolve("none").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http-token-file " + dir.resolve("none") + " does not exist");
  }

  @Test
  void the_bind_help_names_every_listener_it_applies_to() {
    assertThat(NodeConfigKeys.BIND.description())
        .contains("gRPC API", "ExHook", "MQTT", "HTTP", "docs/security.md");
  }
}
