package io.inlet.server.cli;

import static io.inlet.server.cli.CliRun.run;
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
    assertThat(result.out()).contains("server", "stream", "sub");
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
