package io.inlet.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.server.InletServer;
import io.inlet.server.StartupException;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.RequiredServices;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's MQTT listener end to end: mosquitto_pub in, records out through the gRPC API. */
class MqttServerIT {
  private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
  private static final String STREAM = "mqtt"; // the catch-all stream, until the rules land

  @TempDir Path dir;

  private static void requireMosquittoPub() {
    RequiredServices.require(
        Files.isExecutable(MOSQUITTO_PUB),
        "mosquitto_pub not installed (apt-get install mosquitto-clients)");
  }

  private static void mosquittoPub(int port, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(MOSQUITTO_PUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as("mosquitto_pub %s: %s", command, output).isZero();
  }

  @Test
  void mosquitto_pub_messages_land_in_the_stream() throws Exception {
    requireMosquittoPub();
    ServerConfig config = ServerConfig.forTests(dir.resolve("data"), Map.of("mqtt-port", "0"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      int port = server.mqttPort();
      for (int qos = 0; qos <= 2; qos++) {
        mosquittoPub(
            port,
            "-V",
            "mqttv311",
            "-i",
            "dev-311",
            "-q",
            "" + qos,
            "-t",
            "sensors/311",
            "-m",
            "m311-q" + qos);
        mosquittoPub(
            port,
            "-V",
            "mqttv5",
            "-i",
            "dev-5",
            "-q",
            "" + qos,
            "-t",
            "sensors/5",
            "-m",
            "m5-q" + qos);
      }
      mosquittoPub(
          port, "-V", "mqttv31", "-i", "dev-31", "-q", "1", "-t", "sensors/31", "-m", "m31");
      List<HStreamRecord> records = StreamContents.records(grpc, STREAM);
      assertThat(records)
          .extracting(r -> r.getPayload().toStringUtf8())
          .containsExactlyInAnyOrder(
              "m311-q0", "m311-q1", "m311-q2", "m5-q0", "m5-q1", "m5-q2", "m31");
      HStreamRecord m5 =
          records.stream()
              .filter(r -> r.getPayload().toStringUtf8().equals("m5-q2"))
              .findFirst()
              .orElseThrow();
      assertThat(m5.getHeader().getKey()).isEqualTo("dev-5");
      assertThat(m5.getHeader().getAttributesMap())
          .containsEntry("mqtt.topic", "sensors/5")
          .containsEntry("mqtt.clientId", "dev-5")
          .containsEntry("mqtt.qos", "2");

      String metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("inlet_mqtt_listener_events_total{event=\"publish_stored\"} 7.0")
          .contains("inlet_mqtt_listener_events_total{event=\"connect_accepted\"} 7.0")
          .contains("inlet_mqtt_listener_connections ");
    }
  }

  @Test
  void an_explicit_mqtt_port_in_use_is_a_startup_error_naming_the_setting() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ServerConfig config =
          ServerConfig.forTests(dir.resolve("data"), Map.of("mqtt-port", Integer.toString(port)));
      assertThatThrownBy(() -> InletServer.start(config).close())
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "mqtt-port "
                  + port
                  + " is already in use; choose another with --mqtt-port (0 picks a free port)");
    }
  }

  @Test
  void a_missing_password_file_is_a_startup_error() {
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"),
            Map.of(
                "mqtt-port",
                "0",
                "password-file",
                dir.resolve("nope").toString(),
                "allow-anonymous",
                "false"));
    assertThatThrownBy(() -> InletServer.start(config).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("password file")
        .hasMessageContaining("does not exist");
  }
}
