package io.inlet.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge over TLS: a Mosquitto of this test's own with a TLS listener on a free port, its
 * certificate signed by a CA the test makes with openssl.
 */
class BridgeTlsIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Process mosquitto;
  private int port;
  private final List<BridgeManager> managers = new ArrayList<>();

  @BeforeEach
  void startTlsBroker() throws Exception {
    RequiredServices.requireCommands("apt-get install mosquitto openssl", "mosquitto", "openssl");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=inlet-test-ca");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf");
    port = FreePorts.one();
    Files.writeString(
        dir.resolve("mosquitto.conf"),
        String.join(
            "\n",
            "user root",
            "listener " + port + " 127.0.0.1",
            "cafile " + dir.resolve("ca.pem"),
            "certfile " + dir.resolve("server.pem"),
            "keyfile " + dir.resolve("server.key"),
            "allow_anonymous true",
            "persistence false",
            ""));
    mosquitto =
        new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!listening()) {
      if (!mosquitto.isAlive() || System.nanoTime() > end) {
        fail("test Mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
      }
      mosquitto.waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    managers.forEach(BridgeManager::close);
    if (mosquitto != null) {
      mosquitto.destroy();
      mosquitto.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(
          "openssl "
              + String.join(" ", args)
              + ": "
              + Files.readString(dir.resolve("openssl.log")));
    }
  }

  private BridgeManager start(UpstreamTls tls, RecordingIngestor ingestor) {
    BridgeSpec spec =
        BridgeSpec.builder("secure")
            .host("localhost")
            .port(port)
            .tls(tls)
            .topics(List.of("tls/#"))
            .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200))
            .build();
    BridgeManager manager = BridgeManager.start(List.of(spec), ingestor, 1, Duration.ofSeconds(5));
    managers.add(manager);
    return manager;
  }

  @Test
  void a_bridge_trusting_the_broker_s_ca_receives_messages_over_tls() {
    RecordingIngestor ingestor = new RecordingIngestor();
    BridgeManager manager = start(new UpstreamTls(dir.resolve("ca.pem"), null, ""), ingestor);
    Await.until(
        "subscribed over TLS",
        DEADLINE,
        () -> manager.statuses().get(0).subscribed(),
        () -> manager.statuses().toString());

    Mqtt5BlockingClient publisher =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("localhost")
            .serverPort(port)
            .sslConfig(TlsContexts.sslConfig(new UpstreamTls(dir.resolve("ca.pem"), null, "")))
            .buildBlocking();
    publisher.connect();
    publisher
        .publishWith()
        .topic("tls/a")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("secret".getBytes(StandardCharsets.UTF_8))
        .send();
    publisher.disconnect();

    Await.until("the message", DEADLINE, () -> ingestor.payloads().contains("secret"));
    assertThat(manager.statuses().get(0).tls()).isTrue();
  }

  @Test
  void a_broker_certificate_from_an_unknown_ca_is_refused_and_reported() {
    BridgeManager manager = start(UpstreamTls.DEFAULT, new RecordingIngestor());
    Await.until(
        "a failed attempt",
        DEADLINE,
        () -> manager.statuses().get(0).reconnects() >= 1,
        () -> manager.statuses().toString());
    BridgeStatus status = manager.statuses().get(0);
    assertThat(status.state()).isEqualTo(BridgeState.RECONNECTING);
    assertThat(status.subscribed()).isFalse();
    assertThat(status.lastError()).isNotBlank();
  }
}
