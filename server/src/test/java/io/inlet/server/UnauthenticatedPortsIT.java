package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees on the console when a node listens beyond loopback: one warning per
 * unauthenticated port, naming the setting that protects it, and none once each is protected.
 */
class UnauthenticatedPortsIT {
  @TempDir Path dir;

  private static List<String> warnings(InletProcess node) {
    return node.output().lines().filter(line -> line.contains("UNAUTHENTICATED")).toList();
  }

  @Test
  void a_node_bound_to_every_interface_warns_once_per_unauthenticated_port() throws Exception {
    try (InletProcess node =
        InletProcess.start(
                dir.resolve("run"),
                dir.resolve("data"),
                "--bind",
                "0.0.0.0",
                "--allow-anonymous",
                "true")
            .awaitReady(Duration.ofSeconds(60))) {
      List<String> warnings = warnings(node);
      assertThat(warnings).hasSize(4);
      assertThat(warnings)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("gRPC API on 0.0.0.0:" + node.grpcPort())
                      .contains("grpc-tls-client-ca-file"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("EMQX ExHook on 0.0.0.0:")
                      .contains("exhook-tls-client-ca-file"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("HTTP /metrics on 0.0.0.0:" + node.httpPort())
                      .contains("http-token-file"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("MQTT on 0.0.0.0:" + node.mqttPort())
                      .contains("allow-anonymous"));
    }
  }

  @Test
  void a_node_with_every_port_protected_does_not_warn() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    Path token = dir.resolve("metrics.token");
    Files.writeString(token, "a-token\n");
    try (InletProcess node =
        InletProcess.start(
                dir.resolve("run"),
                dir.resolve("data"),
                "--bind",
                "0.0.0.0",
                "--grpc-tls-cert-file",
                tls.serverCert().toString(),
                "--grpc-tls-key-file",
                tls.serverKey().toString(),
                "--grpc-tls-client-ca-file",
                tls.ca().toString(),
                "--exhook-tls-cert-file",
                tls.serverCert().toString(),
                "--exhook-tls-key-file",
                tls.serverKey().toString(),
                "--exhook-tls-client-ca-file",
                tls.ca().toString(),
                "--http-token-file",
                token.toString())
            .awaitReady(Duration.ofSeconds(60))) {
      assertThat(warnings(node)).isEmpty();
      assertThat(node.output())
          .contains("over TLS, client certificates required")
          .contains("/metrics with a bearer token");
    }
  }

  @Test
  void a_node_on_loopback_does_not_warn() throws Exception {
    try (InletProcess node =
        InletProcess.start(dir.resolve("run"), dir.resolve("data"))
            .awaitReady(Duration.ofSeconds(60))) {
      assertThat(warnings(node)).isEmpty();
    }
  }
}
