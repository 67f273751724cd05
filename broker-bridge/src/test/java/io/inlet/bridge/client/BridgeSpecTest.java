package io.inlet.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeSpecTest {

  private static BridgeSpec.Builder valid() {
    return BridgeSpec.builder("up").host("broker").topics(List.of("a/#"));
  }

  private static void refused(BridgeSpec.Builder builder, String field, String message) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidBridgeException.class)
        .hasMessageStartingWith("bridge \"")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((InvalidBridgeException) e).field()).isEqualTo(field));
  }

  @Test
  void defaults() {
    BridgeSpec spec = valid().build();
    assertThat(spec.port()).isEqualTo(1883);
    assertThat(spec.protocol()).isEqualTo(MqttProtocol.V5);
    assertThat(spec.sessionExpiry()).isEqualTo(Duration.ofDays(7));
    assertThat(spec.subscriptions()).containsExactly("a/#");
    assertThat(valid().tls(UpstreamTls.DEFAULT).build().port()).isEqualTo(8883);
    assertThat(BridgeManager.clientId(spec, 3)).isEqualTo("inlet-3-up");
  }

  @Test
  void shared_groups_prefix_every_topic_once() {
    BridgeSpec spec =
        valid().topics(List.of("a/#", "b/+", "$share/other/c", "a/#")).sharedGroup("inlet").build();
    assertThat(spec.subscriptions())
        .containsExactly("$share/inlet/a/#", "$share/inlet/b/+", "$share/other/c");
  }

  @Test
  void settings_are_validated_naming_the_bridge_and_the_setting() {
    refused(valid().host(" "), "host", "host is required");
    refused(valid().port(70000), "port", "port must be 1..65535, found: 70000");
    refused(valid().topics(List.of()), "topics", "at least one topic filter");
    refused(valid().topics(List.of("a/#/b")), "topics", "'#' must be the last level");
    refused(valid().topics(List.of("$share/a")), "topics", "$share/GROUP/FILTER");
    refused(valid().sharedGroup("g/x"), "topics", "the group must be");
    refused(valid().sessionExpiry(Duration.ZERO), "session-expiry", "session-expiry must be");
    refused(
        valid().protocol(MqttProtocol.V3_1_1).credentials(null, "pw"),
        "password",
        "set username too");
    refused(
        valid().reconnectDelays(Duration.ofSeconds(5), Duration.ofSeconds(1)),
        "reconnect-delay",
        "the maximum not below the minimum");
    refused(BridgeSpec.builder("bad name").host("h").topics(List.of("a")), "name", "name must be");
    assertThatThrownBy(() -> MqttProtocol.parse("4.0")).hasMessageContaining("3.1.1 or 5");
  }

  @Test
  void the_password_stays_out_of_the_text_form() {
    assertThat(valid().credentials("u", "secret").build().toString()).doesNotContain("secret");
  }

  @Test
  void backoff_doubles_up_to_the_maximum_with_jitter_and_resets() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    long[] delays = new long[8];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = backoff.nextDelayMillis();
    }
    assertThat(delays[0]).isBetween(80L, 100L);
    assertThat(delays[1]).isBetween(160L, 200L);
    assertThat(delays[2]).isBetween(320L, 400L);
    assertThat(delays[7]).isBetween(800L, 1000L);
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isBetween(80L, 100L);
  }
}
