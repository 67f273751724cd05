package io.inlet.bridge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over TLS: server certificates, client certificates (optional, required), CN as user. */
class MqttTlsIT {
  @TempDir Path dir;
  private final TestIngestor ingestor = new TestIngestor();
  private TestCertificates certificates;
  private TlsSettings tls;
  private TestListener server;

  @BeforeEach
  void certificates() throws Exception {
    certificates = TestCertificates.newCa();
    TestCertificates.writePem(
        certificates.server(), dir.resolve("server.pem"), dir.resolve("server.key"));
    TestCertificates.writeCertificate(certificates.ca().certificate(), dir.resolve("ca.pem"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(TlsSettings.ClientAuth clientAuth, boolean anonymous, String acl)
      throws Exception {
    tls =
        new TlsSettings(
            dir.resolve("server.pem"),
            dir.resolve("server.key"),
            clientAuth == TlsSettings.ClientAuth.NONE ? null : dir.resolve("ca.pem"),
            clientAuth);
    Path aclFile = null;
    if (acl != null) {
      aclFile = dir.resolve("acl");
      Files.writeString(aclFile, acl);
    }
    server =
        TestListener.start(
            MqttListenerSettings.forTests().withTls(new Endpoint(0, false, "mqtts-port"), tls),
            new Authenticator.Settings(null, aclFile, anonymous),
            ingestor);
  }

  private Mqtt5BlockingClient client(String id, KeyManagerFactory keys) throws Exception {
    MqttClientSslConfigBuilder.Nested<? extends com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder>
        ssl =
            MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(server.listener().tlsPort())
                .sslConfig()
                .trustManagerFactory(certificates.trustManagers());
    if (keys != null) {
      ssl = ssl.keyManagerFactory(keys);
    }
    return ssl.applySslConfig().buildBlocking();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void clients_publish_over_tls() throws Exception {
    start(TlsSettings.ClientAuth.NONE, true, null);
    Mqtt5BlockingClient client = client("tls-1", null);
    client.connect();
    client.publishWith().topic("tls/t").qos(MqttQos.EXACTLY_ONCE).payload(utf8("secret")).send();
    client.disconnect();
    assertThat(ingestor.storedPayloads()).containsExactly("secret");
  }

  @Test
  void a_client_certificate_authenticates_its_cn_as_the_user() throws Exception {
    start(TlsSettings.ClientAuth.OPTIONAL, false, "user alice\ntopic write alice/#\n");
    TestCertificates.Issued alice = certificates.client("alice");
    Mqtt5BlockingClient client =
        client("alice-dev", TestCertificates.keyManagers(alice, certificates.ca()));
    client.connect();
    client.publishWith().topic("alice/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("signed")).send();
    client.disconnect();
    assertThat(ingestor.stored()).hasSize(1);
    assertThat(ingestor.stored().get(0).username()).isEqualTo("alice");

    // without a certificate (optional) and anonymous access off: not authorized
    assertThatThrownBy(() -> client("nobody", null).connect())
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }

  @Test
  void required_client_certificates_refuse_clients_without_one() throws Exception {
    start(TlsSettings.ClientAuth.REQUIRED, true, null);
    assertThatThrownBy(() -> client("no-cert", null).connect())
        .isInstanceOf(RuntimeException.class);
    TestCertificates.Issued bob = certificates.client("bob");
    Mqtt5BlockingClient client =
        client("bob-dev", TestCertificates.keyManagers(bob, certificates.ca()));
    client.connect();
    client.publishWith().topic("b/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("ok")).send();
    client.disconnect();
    assertThat(ingestor.stored()).hasSize(1);
  }

  @Test
  void client_certificates_that_fail_verification_count_as_failed_logins() throws Exception {
    start(TlsSettings.ClientAuth.REQUIRED, false, null);
    TestCertificates other = TestCertificates.newCa();
    TestCertificates.Issued mallory = other.client("mallory");
    for (int i = 0; i < 10; i++) { // the default burst of failures per address
      assertThatThrownBy(
              () -> client("mallory", TestCertificates.keyManagers(mallory, other.ca())).connect())
          .isInstanceOf(RuntimeException.class);
    }
    TestCertificates.Issued bob = certificates.client("bob");
    assertThatThrownBy(
            () -> client("bob-dev", TestCertificates.keyManagers(bob, certificates.ca())).connect())
        .as("the address is refused, whatever the certificate")
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BANNED));
  }

  @Test
  void handshakes_without_a_certificate_and_bare_connections_are_not_failed_logins()
      throws Exception {
    start(TlsSettings.ClientAuth.REQUIRED, false, null);
    for (int i = 0; i < 12; i++) { // more than the default burst
      assertThatThrownBy(() -> client("no-cert", null).connect())
          .isInstanceOf(RuntimeException.class);
      try (java.net.Socket probe = new java.net.Socket("127.0.0.1", server.listener().tlsPort())) {
        probe.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      }
    }
    TestCertificates.Issued bob = certificates.client("bob");
    Mqtt5BlockingClient client =
        client("bob-dev", TestCertificates.keyManagers(bob, certificates.ca()));
    assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    client.disconnect();
  }

  @Test
  void a_certificate_from_another_ca_is_refused() throws Exception {
    start(TlsSettings.ClientAuth.REQUIRED, true, null);
    TestCertificates other = TestCertificates.newCa();
    TestCertificates.Issued mallory = other.client("mallory");
    assertThatThrownBy(
            () -> client("mallory", TestCertificates.keyManagers(mallory, other.ca())).connect())
        .isInstanceOf(RuntimeException.class);
    assertThat(ingestor.stored()).isEmpty();
  }
}
