package io.inlet.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.emqx.ExHookServer;
import io.inlet.emqx.ExHookSettings;
import io.inlet.emqx.v2.proto.HookSpec;
import io.inlet.emqx.v2.proto.Message;
import io.inlet.emqx.v2.proto.MessagePublishRequest;
import io.inlet.emqx.v2.proto.ValuedResponse;
import io.inlet.emqx.v2.proto.ValuedResponse.ResponsedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as EMQX 5.0 to 5.8 sees it over {@code emqx.exhook.v2}, through the node's real
 * rule-based ingestor on a real store ({@link RealIngest}). The version-neutral behaviour
 * (timeouts, deadlines, shutdown) is covered by {@link HookProviderV3Test}.
 */
class HookProviderV2Test {
  @TempDir Path dir;

  private RealIngest stored;
  private ExHookServer server;
  private EmqxV2 emqx;

  @BeforeEach
  void openStore() {
    stored = new RealIngest(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    if (emqx != null) {
      emqx.close();
    }
    if (server != null) {
      server.close();
    }
    stored.close();
  }

  private void start(MessageIngestor ingestor, ExHookSettings settings) throws Exception {
    server = new ExHookServer(ingestor, settings);
    server.start();
    emqx = new EmqxV2(server.port());
  }

  private static ExHookSettings settings() {
    return ExHookSettings.defaults("127.0.0.1", 0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void provider_loaded_registers_only_message_publish() throws Exception {
    start(stored.ingestor(), settings().withTopicFilters(List.of("factory/#")));

    assertThat(emqx.load().getHooksList())
        .containsExactly(
            HookSpec.newBuilder().setName("message.publish").addTopics("factory/#").build());
  }

  @Test
  void hooks_in_emqx_order_store_each_publish_before_answering() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();

    for (int i = 0; i < 5; i++) {
      Message m = EmqxV2.message("plc-" + i, "line", "factory/press/" + i, utf8("p" + i), i % 3);
      ValuedResponse answer = emqx.publish(m).get(10, TimeUnit.SECONDS);
      assertThat(answer.getType()).isEqualTo(ResponsedType.CONTINUE);
      assertThat(answer.getMessage()).isEqualTo(m);
      assertThat(stored.records()).extracting(r -> r.getPayload().toStringUtf8()).contains("p" + i);
    }
    emqx.unload();

    HStreamRecord third =
        stored.records().stream()
            .filter(r -> r.getPayload().toStringUtf8().equals("p2"))
            .findFirst()
            .orElseThrow();
    assertThat(third.getHeader().getKey()).isEqualTo("plc-2");
    assertThat(third.getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", "factory/press/2")
        .containsEntry("mqtt.qos", "2")
        .containsEntry("mqtt.username", "line")
        .doesNotContainKey("mqtt.contentType");
  }

  @Test
  void a_message_mqtt_would_refuse_is_not_stored_and_emqx_is_told_to_drop_it() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();
    List<Message> refused =
        List.of(
            EmqxV2.message("plc-1", null, "", utf8("empty topic"), 0),
            EmqxV2.message("plc-1", null, "factory/+", utf8("wildcard"), 0),
            EmqxV2.message("plc-1", null, "factory/\u0000", utf8("NUL"), 0),
            EmqxV2.message("plc-1", null, "factory/a", utf8("QoS 3"), 3));

    for (Message m : refused) {
      ValuedResponse answer = emqx.publish(m).get(10, TimeUnit.SECONDS);
      assertThat(answer.getType())
          .as(m.getPayload().toStringUtf8())
          .isEqualTo(ResponsedType.STOP_AND_RETURN);
      assertThat(answer.getMessage())
          .isEqualTo(m.toBuilder().putHeaders("allow_publish", "false").build());
    }
    ValuedResponse empty =
        emqx.async(EmqxV2.REQUEST_TIMEOUT)
            .onMessagePublish(MessagePublishRequest.getDefaultInstance())
            .get(10, TimeUnit.SECONDS);
    assertThat(empty.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);

    assertThat(stored.records()).isEmpty();
    assertThat(server.stats().snapshot().invalid()).isEqualTo(5);
  }

  @Test
  void store_failure_denies_the_publish_when_deny_on_failure_is_set() throws Exception {
    start(new FailingIngestor(), settings().withDenyOnFailure(true));
    emqx.load();
    Message m = EmqxV2.message("plc-1", null, "factory/a", utf8("1"), 1);

    ValuedResponse answer = emqx.publish(m).get(10, TimeUnit.SECONDS);

    assertThat(answer.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);
    assertThat(answer.getMessage())
        .isEqualTo(m.toBuilder().putHeaders("allow_publish", "false").build());
  }

  @Test
  void other_hooks_answer_at_once() throws Exception {
    start(new GatedIngestor(stored.ingestor()), settings());
    emqx.load();

    List<ValuedResponse> valued = emqx.clientLifecycle("plc-9", Duration.ofSeconds(2));
    emqx.unload();

    assertThat(valued).extracting(ValuedResponse::getType).containsOnly(ResponsedType.IGNORE);
    assertThat(server.stats().snapshot().received()).isZero();
  }
}
