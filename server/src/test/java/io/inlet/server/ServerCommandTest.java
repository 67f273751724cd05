package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = ServerCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void every_setting_is_a_flag_in_help() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("--data-dir=PATH")
        .contains("--grpc-port=PORT")
        .contains("--unsafe-skip-fsync")
        .contains("--config=FILE")
        .contains("--port-file=PATH")
        .contains("Default: 6570.");
  }

  @Test
  void prints_the_config_reference() {
    assertThat(run("--print-config-reference")).isZero();
    assertThat(out.toString()).startsWith("| flag / config key |").contains("`--max-record-size`");
  }

  @Test
  void a_bad_flag_value_exits_1_naming_the_key() {
    assertThat(run("--grpc-port", "70000")).isEqualTo(ServerCommand.EXIT_FAILED);
    assertThat(err.toString().trim()).isEqualTo("error: grpc-port must be 0..65535, found: 70000");
  }

  @Test
  void an_unknown_config_key_exits_1_naming_the_key() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), "grpc-prot: 1\n");
    assertThat(run("--config", config.toString())).isEqualTo(ServerCommand.EXIT_FAILED);
    assertThat(err.toString()).contains("unknown setting").contains("grpc-prot");
  }

  @Test
  void an_unknown_flag_is_a_usage_error() {
    assertThat(run("--grpc-prot", "1")).isEqualTo(ServerCommand.EXIT_USAGE);
  }
}
