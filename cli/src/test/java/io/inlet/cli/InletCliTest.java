package io.inlet.cli;

import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The command tree, usage errors and failures that need no server. */
class InletCliTest {

  @Test
  void help_lists_the_commands() {
    CliRun result = run("--help");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.out()).contains("stream", "sub", "rule", "bridge", "user", "connector");
  }

  /** The server module is not on this module's classpath: no extension, no `inlet server`. */
  @Test
  void without_the_server_module_there_is_no_server_command() {
    CliRun result = run("server");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'server'");
  }

  @Test
  void the_server_may_be_given_before_the_command() throws IOException {
    int port = closedPort();

    CliRun result = run("--server", "127.0.0.1:" + port, "stream", "list");

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo("error: cannot reach Inlet at 127.0.0.1:" + port + " (is it running?)");
  }

  @Test
  void a_server_given_to_the_command_wins_over_one_given_before_it() throws IOException {
    int port = closedPort();

    CliRun result = run("-s", "127.0.0.1:1", "sub", "list", "--server", "127.0.0.1:" + port);

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.err()).contains("127.0.0.1:" + port).doesNotContain("127.0.0.1:1 ");
  }

  @Test
  void a_malformed_server_address_before_the_command_is_a_usage_error() {
    CliRun result = run("--server", "localhost:http", "stream", "list");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--server", "expected host:port");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void stream_help_lists_its_commands() {
    CliRun result = run("stream", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("create", "list", "describe", "delete", "append", "read");
  }

  @Test
  void a_group_without_command_is_a_usage_error_with_exit_code_2() {
    CliRun result = run("sub");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("error: missing command", "consume");
  }

  @Test
  void an_unknown_command_suggests_the_closest_one() {
    CliRun result = run("stream", "lst");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'lst'", "stream list", "inlet stream --help");
  }

  @Test
  void a_malformed_server_address_is_a_usage_error() {
    CliRun result = run("stream", "list", "--server", "localhost:http");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--server", "expected host:port");
  }

  @Test
  void a_bad_read_position_is_a_usage_error() {
    CliRun result = run("stream", "read", "s", "--from", "yesterday");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("earliest, latest, SHARD-BATCH-INDEX or @EPOCH_MS");
  }

  @Test
  void a_stopped_server_is_reported_as_unreachable_with_exit_code_1() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    CliRun result = run("stream", "list", "--server", "127.0.0.1:" + port);

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo("error: cannot reach Inlet at 127.0.0.1:" + port + " (is it running?)");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void invalid_json_record_payload_fails_before_connecting() {
    CliRun result =
        run("stream", "append", "s", "--json-record", "--server", "127.0.0.1:1", "[1, 2]");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("error: PAYLOAD 1 is not a JSON object");
  }
}
