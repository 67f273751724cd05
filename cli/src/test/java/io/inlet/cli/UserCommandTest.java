package io.inlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        InletCli.commandLine(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out),
                new PrintWriter(err))
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void add_list_change_and_delete_users() throws Exception {
    String file = dir.resolve("passwords").toString();
    Result added =
        run(
            "wonderland\n",
            "user",
            "add",
            "alice",
            "--password-file",
            file,
            "--password-stdin",
            "--iterations",
            "1000");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("added alice");
    assertThat(
            run(
                    "",
                    "user",
                    "add",
                    "bob",
                    "--password-file",
                    file,
                    "--password",
                    "builder",
                    "--iterations",
                    "1000")
                .exit())
        .isZero();

    assertThat(run("", "user", "list", "--password-file", file).out()).isEqualTo("alice\nbob\n");
    String hash = PasswordFile.load(Path.of(file)).hashOf("alice").orElseThrow();
    assertThat(PasswordHasher.verify("wonderland".getBytes(StandardCharsets.UTF_8), hash)).isTrue();

    Result changed =
        run(
            "rabbit\n",
            "user",
            "add",
            "alice",
            "--password-file",
            file,
            "--password-stdin",
            "--iterations",
            "1000");
    assertThat(changed.out()).contains("changed the password of alice");
    String newHash = PasswordFile.load(Path.of(file)).hashOf("alice").orElseThrow();
    assertThat(PasswordHasher.verify("rabbit".getBytes(StandardCharsets.UTF_8), newHash)).isTrue();

    assertThat(run("", "user", "delete", "alice", "--password-file", file).out())
        .contains("deleted alice");
    assertThat(run("", "user", "list", "--password-file", file).out()).isEqualTo("bob\n");
    Result missing = run("", "user", "delete", "alice", "--password-file", file);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("user \"alice\" not found");
  }

  @Test
  void json_prints_one_document_for_a_password_file_too() {
    String file = dir.resolve("passwords").toString();
    Result added =
        run("", "user", "add", "eve", "--password-file", file, "--password", "pw", "--json");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("\"username\" : \"eve\"", "\"created\" : true");
    assertThat(run("", "user", "list", "--password-file", file, "--json").out())
        .contains("\"usernames\" : [ \"eve\" ]");
    assertThat(run("", "user", "delete", "eve", "--password-file", file, "--json").out())
        .contains("\"deleted\" : true");
  }

  @Test
  void a_password_file_and_a_named_server_together_are_refused() {
    String file = dir.resolve("passwords").toString();
    for (String[] args :
        new String[][] {
          {"user", "add", "eve", "--password-file", file, "--password", "pw", "-s", "h:1"},
          {"--server", "h:1", "user", "list", "--password-file", file},
          {"user", "delete", "eve", "--password-file", file, "--server", "h:1"}
        }) {
      Result r = run("", args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err()).contains("not both");
    }
    assertThat(dir.resolve("passwords")).doesNotExist();
  }

  /** Reading a server config file is the server's job: without it, --config says so. */
  @Test
  void without_the_server_on_the_classpath_config_points_to_password_file() throws Exception {
    Path config = dir.resolve("inlet.yaml");
    Files.writeString(config, "password-file: " + dir.resolve("users") + "\n");
    Result r =
        run("pw\n", "user", "add", "carol", "--config", config.toString(), "--password-stdin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("needs the Inlet server", "--password-file");
    assertThat(dir.resolve("users")).doesNotExist();
  }

  @Test
  void without_a_password_file_it_manages_the_nodes_users_through_the_server() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Result r =
        run("pw\n", "user", "add", "dave", "--password-stdin", "--server", "127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach Inlet at 127.0.0.1:" + port);
    assertThat(dir.resolve("users")).doesNotExist();
  }
}
