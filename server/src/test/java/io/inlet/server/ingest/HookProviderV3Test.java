package io.inlet.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.emqx.ExHookServer;
import io.inlet.emqx.ExHookSettings;
import io.inlet.emqx.ExHookStats;
import io.inlet.emqx.v3.proto.HookSpec;
import io.inlet.emqx.v3.proto.LoadedResponse;
import io.inlet.emqx.v3.proto.Message;
import io.inlet.emqx.v3.proto.MessagePublishRequest;
import io.inlet.emqx.v3.proto.ValuedResponse;
import io.inlet.emqx.v3.proto.ValuedResponse.ResponsedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as EMQX 5.9+ sees it over {@code emqx.exhook.v3}, through the node's real rule-based
 * ingestor on a real store ({@link RealIngest}).
 */
class HookProviderV3Test {
  @TempDir Path dir;

  private RealIngest stored;
  private ExHookServer server;
  private EmqxV3 emqx;

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

  private void start(io.inlet.api.ingest.MessageIngestor ingestor, ExHookSettings settings)
      throws Exception {
    server = new ExHookServer(ingestor, settings);
    server.start();
    emqx = new EmqxV3(server.port());
  }

  private static ExHookSettings settings() {
    return ExHookSettings.defaults("127.0.0.1", 0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ValuedResponse await(ListenableFuture<ValuedResponse> answer) throws Exception {
    return answer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void provider_loaded_registers_message_publish_on_the_configured_topic_filters()
      throws Exception {
    start(stored.ingestor(), settings().withTopicFilters(List.of("sensors/#", "alerts/+/high")));

    LoadedResponse loaded = emqx.load();

    assertThat(loaded.getHooksList())
        .containsExactly(
            HookSpec.newBuilder()
                .setName("message.publish")
                .addTopics("sensors/#")
                .addTopics("alerts/+/high")
                .build());
  }

  @Test
  void hooks_in_emqx_order_store_every_publish_and_continue_with_the_message_unchanged()
      throws Exception {
    start(stored.ingestor(), settings());
    assertThat(emqx.load().getHooks(0).getTopicsList()).containsExactly("#");

    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Message m =
          EmqxV3.message(
              "dev-" + (i % 4), "user-" + (i % 4), "sensors/t/" + i, utf8("{\"n\":" + i + "}"), 1);
      sent.add(m);
      ValuedResponse answer = await(emqx.publish(m));
      assertThat(answer.getType()).isEqualTo(ResponsedType.CONTINUE);
      assertThat(answer.getMessage()).isEqualTo(m);
    }
    emqx.unload();

    List<HStreamRecord> records = stored.records();
    assertThat(records).hasSize(20);
    assertThat(records)
        .extracting(r -> r.getPayload().toStringUtf8())
        .containsExactlyInAnyOrderElementsOf(
            sent.stream().map(m -> m.getPayload().toStringUtf8()).toList());
    HStreamRecord first =
        records.stream()
            .filter(r -> r.getPayload().toStringUtf8().equals("{\"n\":0}"))
            .findFirst()
            .orElseThrow();
    assertThat(first.getHeader().getKey()).isEqualTo("dev-0");
    assertThat(first.getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", "sensors/t/0")
        .containsEntry("mqtt.clientId", "dev-0")
        .containsEntry("mqtt.username", "user-0")
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.retain", "false");
    assertThat(server.stats().snapshot().stored()).isEqualTo(20);
  }

  @Test
  void publish_is_answered_only_after_the_record_is_durable() throws Exception {
    GatedIngestor gate = new GatedIngestor(stored.ingestor());
    start(gate, settings());
    emqx.load();

    ListenableFuture<ValuedResponse> answer =
        emqx.publish(EmqxV3.message("dev-1", null, "sensors/a", utf8("21.5"), 1));
    GatedIngestor.Held held = gate.next();

    // The append has not started: EMQX must still be waiting.
    assertThatThrownBy(() -> answer.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(stored.records()).isEmpty();

    IngestOutcome.Stored outcome =
        (IngestOutcome.Stored) gate.release(held).get(10, TimeUnit.SECONDS);
    assertThat(await(answer).getType()).isEqualTo(ResponsedType.CONTINUE);
    assertThat(stored.read(outcome).getPayload().toStringUtf8()).isEqualTo("21.5");
  }

  @Test
  void every_answered_publish_is_readable_when_the_answer_arrives() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();

    for (int i = 0; i < 10; i++) {
      String payload = "reading-" + i;
      await(emqx.publish(EmqxV3.message("dev-" + i, null, "sensors/" + i, utf8(payload), 1)));
      assertThat(stored.records()).extracting(r -> r.getPayload().toStringUtf8()).contains(payload);
    }
  }

  @Test
  void mqtt5_user_properties_and_content_type_reach_the_record() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();

    Message m = EmqxV3.message("dev-5", "alice", "sensors/5", utf8("{}"), 2);
    ValuedResponse answer =
        await(
            emqx.publish(
                m,
                List.of(
                    EmqxV3.property("Content-Type", "application/json"),
                    EmqxV3.property("Message-Expiry-Interval", "60")),
                List.of(EmqxV3.property("site", "north"), EmqxV3.property("line", "7"))));

    assertThat(answer.getType()).isEqualTo(ResponsedType.CONTINUE);
    assertThat(stored.records().get(0).getHeader().getAttributesMap())
        .containsEntry("mqtt.contentType", "application/json")
        .containsEntry("mqtt.user.site", "north")
        .containsEntry("mqtt.user.line", "7")
        .containsEntry("mqtt.qos", "2")
        .containsEntry("mqtt.username", "alice");
  }

  @Test
  void no_matching_rule_and_rejected_continue_unchanged_and_are_counted() throws Exception {
    start(stored.ingestor(), settings().withDenyOnFailure(true));
    emqx.load();

    Message skipped = EmqxV3.message("dev-1", null, "skip/this", utf8("x"), 0);
    Message rejected = EmqxV3.message("dev-1", null, "bad/json", utf8("not json"), 1);

    assertThat(await(emqx.publish(skipped)))
        .isEqualTo(
            ValuedResponse.newBuilder()
                .setType(ResponsedType.CONTINUE)
                .setMessage(skipped)
                .build());
    assertThat(await(emqx.publish(rejected)).getType()).isEqualTo(ResponsedType.CONTINUE);

    ExHookStats.Snapshot stats = server.stats().snapshot();
    assertThat(stats.noMatchingRule()).isEqualTo(1);
    assertThat(stats.rejected()).isEqualTo(1);
    assertThat(stats.denied()).isZero();
    assertThat(stored.records()).isEmpty();
  }

  @Test
  void a_message_mqtt_would_refuse_is_not_stored_and_emqx_is_told_to_drop_it() throws Exception {
    start(stored.ingestor(), settings()); // deny-on-failure off: a refusal is not a store failure
    emqx.load();
    List<Message> refused =
        List.of(
            EmqxV3.message("dev-1", "u", "", utf8("empty topic"), 1),
            EmqxV3.message("dev-1", "u", "sensors/+/t", utf8("single-level wildcard"), 1),
            EmqxV3.message("dev-1", "u", "sensors/#", utf8("multi-level wildcard"), 1),
            EmqxV3.message("dev-1", "u", "sensors/a\u0000b", utf8("NUL"), 1),
            EmqxV3.message("dev-1", "u", "sensors/a", utf8("QoS 7"), 7),
            EmqxV3.message("dev-1", "u", "sensors/a", utf8("QoS 2^32-1"), -1));

    for (Message m : refused) {
      ValuedResponse answer = await(emqx.publish(m));
      assertThat(answer.getType())
          .as(m.getPayload().toStringUtf8())
          .isEqualTo(ResponsedType.STOP_AND_RETURN);
      assertThat(answer.getMessage())
          .isEqualTo(m.toBuilder().putHeaders("allow_publish", "false").build());
    }
    ValuedResponse empty =
        await(
            emqx.async(EmqxV3.REQUEST_TIMEOUT)
                .onMessagePublish(MessagePublishRequest.getDefaultInstance()));
    assertThat(empty.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);
    assertThat(empty.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");

    assertThat(stored.records()).isEmpty();
    assertThat(server.stats().snapshot())
        .extracting(
            ExHookStats.Snapshot::received,
            ExHookStats.Snapshot::invalid,
            ExHookStats.Snapshot::stored,
            ExHookStats.Snapshot::denied)
        .containsExactly(7L, 7L, 0L, 0L);
  }

  @Test
  void store_failure_denies_the_publish_when_deny_on_failure_is_set() throws Exception {
    start(new FailingIngestor(), settings().withDenyOnFailure(true));
    emqx.load();
    Message m = EmqxV3.message("dev-1", "u", "sensors/a", utf8("1"), 1);

    ValuedResponse answer = await(emqx.publish(m));

    assertThat(answer.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);
    assertThat(answer.getMessage().getHeadersMap())
        .containsEntry("allow_publish", "false")
        .containsEntry("username", "u");
    assertThat(answer.getMessage().toBuilder().removeHeaders("allow_publish").build()).isEqualTo(m);
    assertThat(server.stats().snapshot())
        .extracting(ExHookStats.Snapshot::failed, ExHookStats.Snapshot::denied)
        .containsExactly(1L, 1L);
  }

  @Test
  void store_failure_continues_when_deny_on_failure_is_off() throws Exception {
    start(new FailingIngestor(), settings());
    emqx.load();
    Message m = EmqxV3.message("dev-1", null, "sensors/a", utf8("1"), 1);

    ValuedResponse answer = await(emqx.publish(m));

    assertThat(answer.getType()).isEqualTo(ResponsedType.CONTINUE);
    assertThat(answer.getMessage()).isEqualTo(m);
    assertThat(server.stats().snapshot().failed()).isEqualTo(1);
  }

  @Test
  void no_outcome_within_the_answer_timeout_is_answered_as_a_failure() throws Exception {
    GatedIngestor never = new GatedIngestor(stored.ingestor());
    start(never, settings().withDenyOnFailure(true).withAnswerTimeout(Duration.ofMillis(200)));
    emqx.load();

    ValuedResponse answer =
        await(emqx.publish(EmqxV3.message("dev-1", null, "sensors/a", utf8("1"), 1)));

    assertThat(answer.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);
    assertThat(answer.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");
    assertThat(server.stats().snapshot().timedOut()).isEqualTo(1);
  }

  @Test
  void a_call_deadline_shorter_than_the_answer_timeout_is_honoured() throws Exception {
    GatedIngestor never = new GatedIngestor(stored.ingestor());
    start(never, settings().withAnswerTimeout(Duration.ofSeconds(30)));
    emqx.load();
    Message m = EmqxV3.message("dev-1", null, "sensors/a", utf8("1"), 1);

    // EMQX configured with request_timeout = 2s: the answer must come before EMQX gives up.
    ValuedResponse answer =
        emqx.async(Duration.ofSeconds(2))
            .onMessagePublish(
                io.inlet.emqx.v3.proto.MessagePublishRequest.newBuilder()
                    .setMessage(m)
                    .setMeta(EmqxV3.META)
                    .build())
            .get(10, TimeUnit.SECONDS);

    assertThat(answer.getType()).isEqualTo(ResponsedType.CONTINUE);
    assertThat(server.stats().snapshot().timedOut()).isEqualTo(1);
  }

  @Test
  void other_hooks_answer_at_once_without_touching_the_store() throws Exception {
    GatedIngestor never = new GatedIngestor(stored.ingestor());
    start(never, settings());
    emqx.load();

    List<ValuedResponse> valued = emqx.clientLifecycle("dev-9", Duration.ofSeconds(2));
    emqx.unload();

    assertThat(valued).extracting(ValuedResponse::getType).containsOnly(ResponsedType.IGNORE);
    assertThat(server.stats().snapshot().received()).isZero();
  }

  @Test
  void close_answers_publishes_still_waiting_for_the_store() throws Exception {
    GatedIngestor never = new GatedIngestor(stored.ingestor());
    start(never, settings().withDenyOnFailure(true).withAnswerTimeout(Duration.ofSeconds(30)));
    emqx.load();
    ListenableFuture<ValuedResponse> answer =
        emqx.publish(EmqxV3.message("dev-1", null, "sensors/a", utf8("1"), 1));
    never.next();

    server.close(Duration.ofMillis(100));

    ValuedResponse denied = await(answer);
    assertThat(denied.getType()).isEqualTo(ResponsedType.STOP_AND_RETURN);
    assertThat(denied.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");
  }

  @Test
  void a_closed_server_refuses_calls() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();
    server.close();

    assertThatThrownBy(
            () ->
                emqx.blocking(Duration.ofSeconds(2))
                    .onProviderUnloaded(
                        io.inlet.emqx.v3.proto.ProviderUnloadedRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void many_concurrent_publishes_are_each_answered_after_their_append() throws Exception {
    start(stored.ingestor(), settings());
    emqx.load();
    List<ListenableFuture<ValuedResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      answers.add(
          emqx.publish(EmqxV3.message("dev-" + (i % 10), null, "s/" + i, utf8("m" + i), 1)));
    }
    for (ListenableFuture<ValuedResponse> a : answers) {
      assertThat(await(a).getType()).isEqualTo(ResponsedType.CONTINUE);
    }
    assertThat(stored.records()).hasSize(200);
    assertThat(server.stats().snapshot().stored()).isEqualTo(200);
  }
}
