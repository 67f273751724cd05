package io.inlet.server.cli;

import static io.inlet.cli.CliRun.run;
import static io.inlet.cli.CliRun.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.auth.PasswordFile;
import io.inlet.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with the server module on the classpath, as the distribution runs it. */
class ServerCliExtensionTest {
  @TempDir Path dir;

  @Test
  void the_server_command_comes_first_in_the_command_list() {
    CliRun result = run("--help");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.out()).containsPattern("(?s)Commands:\\s+server\\b.*stream.*sub.*user");
  }

  @Test
  void server_help_lists_the_generated_setting_flags_and_repair() {
    CliRun result = run("server", "--help");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.out()).contains("--grpc-port", "--data-dir", "--config", "repair");
  }

  @Test
  void a_bad_server_setting_is_reported_by_the_server_command() {
    CliRun result = run("server", "--grpc-port", "not-a-port");

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.err()).contains("grpc-port");
  }

  @Test
  void the_password_file_can_come_from_the_server_config() throws Exception {
    Path config = dir.resolve("inlet.yaml");
    Path passwords = dir.resolve("users");
    Files.writeString(config, "password-file: " + passwords + "\n");

    CliRun added =
        runWithStdin(
            "pw\n",
            "user",
            "add",
            "carol",
            "--config",
            config.toString(),
            "--password-stdin",
            "--iterations",
            "1000");

    assertThat(added.exitCode()).as("%s", added).isZero();
    assertThat(PasswordFile.load(passwords).usernames()).containsExactly("carol");
  }

  @Test
  void a_config_without_password_file_says_so() throws Exception {
    Path config = dir.resolve("inlet.yaml");
    Files.writeString(config, "grpc-port: 0\n");

    CliRun result =
        runWithStdin(
            "pw\n", "user", "add", "dave", "--config", config.toString(), "--password-stdin");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("sets no password-file");
  }
}
