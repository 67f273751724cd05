package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees running {@code inlet server}: console lines, exit codes, signals. */
class ServerProcessIT {
  @TempDir Path dir;

  @Test
  void starts_logs_bound_addresses_and_stops_cleanly_on_sigterm() throws Exception {
    try (InletProcess inlet = InletProcess.start(dir.resolve("run"), dir.resolve("data"))) {
      inlet.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(inlet.grpcPort())) {
        client.createStream("from-child", 1);
      }
      int exit = inlet.stop(Duration.ofSeconds(30));
      String out = inlet.output();
      assertThat(exit).as(out).isIn(0, 143);
      assertThat(out)
          .contains("gRPC listening on 127.0.0.1:" + inlet.grpcPort())
          .contains("HTTP listening on 127.0.0.1:" + inlet.httpPort())
          .contains("Inlet stopped")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void a_port_in_use_exits_non_zero_with_one_clear_line() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Path run = dir.resolve("run");
      try (InletProcess inlet =
          InletProcess.start(run, dir.resolve("data"), "--grpc-port", Integer.toString(port))) {
        int exit = inlet.awaitExit(Duration.ofSeconds(60));
        String out = inlet.output();
        assertThat(exit).as(out).isNotZero();
        assertThat(out)
            .contains(
                "error: grpc-port " + port + " is already in use; choose another with --grpc-port")
            .doesNotContain("\tat ")
            .doesNotContain("Exception");
      }
    }
  }

  @Test
  void bad_settings_exit_non_zero_naming_the_key() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "shutdown-timeout: soon\n");
    try (InletProcess inlet =
        InletProcess.start(dir.resolve("run2"), dir.resolve("data"), "--config", bad.toString())) {
      assertThat(inlet.awaitExit(Duration.ofSeconds(60))).isNotZero();
      assertThat(inlet.output())
          .contains("error: shutdown-timeout must be a duration")
          .contains("found: soon")
          .doesNotContain("\tat ");
    }
  }
}
