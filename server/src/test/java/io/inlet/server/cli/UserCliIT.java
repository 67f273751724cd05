package io.inlet.server.cli;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.admin.InletAdminGrpc;
import io.inlet.api.admin.PutUserRequest;
import io.inlet.cli.CliRun;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.MqttLogins;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inlet user ...} without a password file, against a node: the users are kept in the node's
 * store, durably (a restarted node still takes them), and its MQTT listener checks them.
 */
class UserCliIT {
  @TempDir Path dataDir;
  private InletServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server =
        InletServer.start(
            ServerConfig.forTests(dataDir, Map.of("mqtt-port", "0", "allow-anonymous", "false")));
  }

  private CliRun ok(String... args) {
    CliRun result = run(at("127.0.0.1:" + server.grpcPort(), args));
    assertThat(result.exitCode()).as("inlet %s%n%s", String.join(" ", args), result).isZero();
    return result;
  }

  @Test
  void users_added_to_the_node_log_in_over_mqtt_also_after_a_restart_until_deleted() {
    start();
    assertThat(logsIn("erin", "pa55")).isFalse();

    assertThat(ok("user", "add", "erin", "--password", "pa55", "--iterations", "1000").out())
        .contains("added erin");
    assertThat(logsIn("erin", "pa55")).isTrue();
    assertThat(logsIn("erin", "wrong")).isFalse();
    assertThat(ok("user", "add", "erin", "--password", "n3w", "--iterations", "1000").out())
        .contains("changed the password of erin");
    assertThat(logsIn("erin", "pa55")).as("the old password").isFalse();

    server.close();
    start();
    assertThat(logsIn("erin", "n3w")).as("after a restart").isTrue();
    assertThat(ok("user", "list").outLines()).containsExactly("erin");
    assertThat(ok("user", "list", "--json").out()).contains("\"usernames\"").contains("\"erin\"");

    assertThat(
            ok("user", "add", "erin", "--password", "n3w", "--iterations", "1000", "--json").out())
        .contains("\"username\" : \"erin\"", "\"created\" : false");
    assertThat(ok("user", "delete", "erin", "--json").out())
        .contains("\"username\" : \"erin\"", "\"deleted\" : true");
    assertThat(logsIn("erin", "n3w")).isFalse();
    CliRun again = run(at("127.0.0.1:" + server.grpcPort(), "user", "delete", "erin"));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("user \"erin\" not found");
  }

  @Test
  void a_hash_inlet_cannot_verify_or_a_bad_username_is_refused_with_invalid_argument() {
    start();
    try (GrpcClient client = new GrpcClient(server.grpcPort())) {
      InletAdminGrpc.InletAdminBlockingStub admin = InletAdminGrpc.newBlockingStub(client.channel);
      assertThatThrownBy(
              () ->
                  admin.putUser(
                      PutUserRequest.newBuilder()
                          .setUsername("frank")
                          .setPasswordHash("plain-text")
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("password_hash");
              });
      assertThatThrownBy(
              () ->
                  admin.putUser(
                      PutUserRequest.newBuilder()
                          .setUsername("a:b")
                          .setPasswordHash("$pbkdf2-sha256$1000$c2FsdA==$aGFzaA==")
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(ok("user", "list").outLines()).isEmpty();
  }

  private boolean logsIn(String username, String password) {
    return MqttLogins.logsIn(server.mqttPort(), username, password);
  }
}
