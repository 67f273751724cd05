package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.ConfigException;
import io.inlet.bridge.auth.LoginThrottle;
import io.inlet.bridge.listener.RefusedPublishPolicy;
import io.inlet.bridge.listener.TlsSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttConfigTest {
  private static MqttConfig load(Map<String, String> flags) {
    return ServerConfigLoader.load(flags, null).mqtt();
  }

  @Test
  void default_ports_may_be_skipped_when_in_use_explicit_ones_may_not() {
    MqttConfig defaults = load(Map.of());
    assertThat(defaults.listener().tcp().port()).isEqualTo(1883);
    assertThat(defaults.listener().tcp().optional()).isTrue();
    assertThat(defaults.listener().webSocket().port()).isEqualTo(8083);
    assertThat(defaults.listener().webSocket().optional()).isTrue();
    assertThat(defaults.listener().tls()).as("no TLS without certificates").isNull();

    MqttConfig explicit = load(Map.of("mqtt-port", "1883", "ws-port", "9083"));
    assertThat(explicit.listener().tcp().optional()).isFalse();
    assertThat(explicit.listener().webSocket().optional()).isFalse();

    MqttConfig off = load(Map.of("mqtt-port", "off", "ws-port", "off"));
    assertThat(off.enabled()).isFalse();
  }

  @Test
  void anonymous_access_is_on_for_loopback_and_off_otherwise_unless_set() {
    assertThat(load(Map.of()).auth().allowAnonymous()).isTrue();
    assertThat(load(Map.of("bind", "0.0.0.0")).auth().allowAnonymous()).isFalse();
    assertThat(load(Map.of("bind", "0.0.0.0", "allow-anonymous", "true")).auth().allowAnonymous())
        .isTrue();
    assertThat(load(Map.of("allow-anonymous", "false")).auth().allowAnonymous()).isFalse();
  }

  @Test
  void failed_logins_are_limited_by_default_and_the_limit_can_be_set_or_turned_off() {
    assertThat(load(Map.of()).auth().loginThrottle()).isEqualTo(LoginThrottle.Settings.DEFAULT);
    LoginThrottle.Settings set =
        load(Map.of(
                "mqtt-login-failure-burst", "3",
                "mqtt-login-failure-interval", "1m",
                "mqtt-login-failure-addresses", "500"))
            .auth()
            .loginThrottle();
    assertThat(set).isEqualTo(new LoginThrottle.Settings(3, Duration.ofMinutes(1), 500));
    assertThat(load(Map.of("mqtt-login-failure-burst", "0")).auth().loginThrottle().enabled())
        .isFalse();
    assertThatThrownBy(() -> load(Map.of("mqtt-login-failure-addresses", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("mqtt-login-failure-addresses must be 1..10000000");
  }

  @Test
  void tls_settings_must_go_together() {
    assertThatThrownBy(() -> load(Map.of("tls-cert-file", "c.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tls-cert-file and tls-key-file must be set together");
    assertThatThrownBy(() -> load(Map.of("mqtts-port", "8883")))
        .hasMessage("mqtts-port needs tls-cert-file and tls-key-file");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "tls-cert-file",
                        "c.pem",
                        "tls-key-file",
                        "k.pem",
                        "tls-client-auth",
                        "required")))
        .hasMessage("tls-client-auth required needs tls-client-ca-file");
    MqttConfig tls =
        load(
            Map.of(
                "tls-cert-file", "c.pem",
                "tls-key-file", "k.pem",
                "tls-client-ca-file", "ca.pem",
                "tls-client-auth", "optional"));
    assertThat(tls.listener().tls().port()).isEqualTo(8883);
    assertThat(tls.listener().tls().optional()).isFalse();
    assertThat(tls.listener().tlsSettings().clientAuth())
        .isEqualTo(TlsSettings.ClientAuth.OPTIONAL);
  }

  @Test
  void limits_and_policies_are_parsed_and_checked() {
    MqttConfig c =
        load(
            Map.of(
                "mqtt-max-packet-size", "64KiB",
                "mqtt-receive-maximum", "100",
                "mqtt-max-session-expiry", "1d",
                "mqtt-topic-alias-maximum", "0",
                "mqtt-keepalive-max", "300",
                "mqtt-unmatched-publish", "disconnect"));
    assertThat(c.listener().maxPacketSize()).isEqualTo(65536);
    assertThat(c.listener().receiveMaximum()).isEqualTo(100);
    assertThat(c.listener().maxSessionExpirySeconds()).isEqualTo(86400);
    assertThat(c.listener().topicAliasMaximum()).isZero();
    assertThat(c.listener().keepAliveMaxSeconds()).isEqualTo(300);
    assertThat(c.listener().unmatchedPublish()).isEqualTo(RefusedPublishPolicy.DISCONNECT);
    assertThat(c.listener().deniedPublish()).isEqualTo(RefusedPublishPolicy.DROP);
    assertThatThrownBy(() -> load(Map.of("mqtt-receive-maximum", "0")))
        .hasMessage("mqtt-receive-maximum must be 1..65535, found: 0");
    assertThatThrownBy(() -> load(Map.of("mqtt-port", "on")))
        .hasMessage("mqtt-port must be 0..65535 or off, found: on");
  }
}
