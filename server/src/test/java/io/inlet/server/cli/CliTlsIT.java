package io.inlet.server.cli;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.cli.CliRun;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.TestServers;
import io.inlet.server.testing.TlsFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a node whose gRPC API requires TLS client certificates. */
class CliTlsIT {
  @TempDir Path dir;

  @Test
  void the_cli_talks_to_a_mutual_tls_node_with_its_certificate() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    try (InletServer node =
        TestServers.start(
            ServerConfig.forTests(dir.resolve("data"), tls.serverSettings("grpc", true)))) {
      String server = "127.0.0.1:" + node.grpcPort();

      CliRun plaintext = run(at(server, "stream", "list", "--timeout", "5"));
      assertThat(plaintext.exitCode()).as(plaintext.toString()).isNotZero();

      CliRun withoutCertificate =
          run(at(server, "stream", "list", "--timeout", "5", "--tls-ca-file", tls.ca().toString()));
      assertThat(withoutCertificate.exitCode()).as(withoutCertificate.toString()).isNotZero();

      String[] secure = {
        "--tls-ca-file", tls.ca().toString(),
        "--tls-cert-file", tls.clientCert().toString(),
        "--tls-key-file", tls.clientKey().toString()
      };
      CliRun created = run(at(server, concat(new String[] {"stream", "create", "tls_s"}, secure)));
      assertThat(created.exitCode()).as(created.toString()).isZero();
      CliRun listed = run(at(server, concat(new String[] {"stream", "list"}, secure)));
      assertThat(listed.exitCode()).as(listed.toString()).isZero();
      assertThat(listed.out()).contains("tls_s");

      CliRun halfCertificate =
          run(
              at(
                  server,
                  "stream",
                  "list",
                  "--tls-ca-file",
                  tls.ca().toString(),
                  "--tls-cert-file",
                  tls.clientCert().toString()));
      assertThat(halfCertificate.exitCode()).isNotZero();
      assertThat(halfCertificate.err()).contains("--tls-cert-file and --tls-key-file go together");
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
