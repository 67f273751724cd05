package io.inlet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.admin.AddRuleRequest;
import io.inlet.api.admin.AddRuleResponse;
import io.inlet.api.admin.DeleteRuleRequest;
import io.inlet.api.admin.GetBridgeStatusRequest;
import io.inlet.api.admin.InletAdminGrpc;
import io.inlet.api.admin.ListRulesRequest;
import io.inlet.api.admin.ListRulesResponse;
import io.inlet.api.admin.PayloadMode;
import io.inlet.api.admin.Rule;
import io.inlet.api.admin.RuleSource;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.StreamReads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API and the ingest path of a real node (in this JVM, on its RocksDB store). */
class RuleAdminIT {
  @TempDir Path dataDir;
  private InletServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    stopServer();
  }

  private void startServer(RoutingConfig routing) {
    server = InletServer.start(ServerConfig.forTests(dataDir), routing);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  private void stopServer() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      channel = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private InletAdminGrpc.InletAdminBlockingStub admin() {
    return InletAdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private IngestOutcome publish(String topic, String payload) throws Exception {
    return server
        .ingestor()
        .ingest(
            new InboundMessage(
                topic,
                payload.getBytes(StandardCharsets.UTF_8),
                1,
                false,
                "dev-1",
                "alice",
                List.of(Map.entry("unit", "C")),
                null,
                "test"))
        .get(30, TimeUnit.SECONDS);
  }

  private static Rule.Builder rule(String name, String topic, String stream) {
    return Rule.newBuilder().setName(name).setTopicFilter(topic).setStream(stream);
  }

  private List<String> names() {
    return admin().listRules(ListRulesRequest.getDefaultInstance()).getRulesList().stream()
        .map(Rule::getName)
        .toList();
  }

  private static StatusRuntimeException failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }

  @Test
  void out_of_the_box_every_publish_lands_in_the_auto_created_stream_mqtt() throws Exception {
    startServer(RoutingConfig.DEFAULTS);

    assertThat(publish("a/b", "hi")).isInstanceOf(IngestOutcome.Stored.class);

    List<HStreamRecord> records = StreamReads.records(channel, "mqtt");
    assertThat(records).hasSize(1);
    HStreamRecord record = records.get(0);
    assertThat(record.getPayload().toStringUtf8()).isEqualTo("hi");
    assertThat(record.getHeader().getKey()).isEqualTo("dev-1");
    assertThat(record.getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", "a/b")
        .containsEntry("mqtt.clientId", "dev-1")
        .containsEntry("mqtt.username", "alice")
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.retain", "false")
        .containsEntry("mqtt.user.unit", "C");
    ListRulesResponse listed = admin().listRules(ListRulesRequest.getDefaultInstance());
    assertThat(listed.getRules(0).getSource()).isEqualTo(RuleSource.RULE_SOURCE_BUILT_IN);
    assertThat(listed.getCounts().getStored()).isEqualTo(1);
  }

  @Test
  void rules_added_at_runtime_apply_at_once_and_survive_a_restart() throws Exception {
    startServer(RoutingConfig.DEFAULTS);
    AddRuleResponse added =
        admin()
            .addRule(
                AddRuleRequest.newBuilder()
                    .setRule(
                        rule("temps", "sensors/+/temp", "temperatures")
                            .setKeyTemplate("${topic.2}")
                            .setPayloadMode(PayloadMode.PAYLOAD_MODE_JSON)
                            .setShardCount(2)
                            .setPosition(10))
                    .build());
    assertThat(added.getWarningsList()).isEmpty();
    assertThat(added.getRule().getSource()).isEqualTo(RuleSource.RULE_SOURCE_RUNTIME);
    assertThat(added.getRule().hasCreatedAt()).isTrue();

    IngestOutcome outcome = publish("sensors/dev-9/temp", "{\"t\": 21.5}");
    assertThat(outcome).isInstanceOf(IngestOutcome.Stored.class);
    assertThat(((IngestOutcome.Stored) outcome).stream()).isEqualTo("temperatures");
    assertThat(publish("sensors/dev-9/temp", "not json"))
        .isInstanceOf(IngestOutcome.Rejected.class);
    assertThat(server.store().streams().get("temperatures").orElseThrow().shardCount())
        .isEqualTo(2);
    HStreamRecord record = StreamReads.records(channel, "temperatures").get(0);
    assertThat(record.getHeader().getFlag()).isEqualTo(HStreamRecordHeader.Flag.JSON);
    assertThat(record.getHeader().getKey()).isEqualTo("dev-9");
    assertThat(Struct.parseFrom(record.getPayload()).getFieldsMap().get("t").getNumberValue())
        .isEqualTo(21.5);

    stopServer();
    startServer(RoutingConfig.DEFAULTS);

    assertThat(names()).containsExactly("temps", "default");
    assertThat(((IngestOutcome.Stored) publish("sensors/x/temp", "{}")).stream())
        .isEqualTo("temperatures");
    admin().deleteRule(DeleteRuleRequest.newBuilder().setName("temps").build());
    stopServer();
    startServer(RoutingConfig.DEFAULTS);
    assertThat(names()).containsExactly("default");
  }

  @Test
  void config_rules_come_first_at_equal_positions_and_cannot_be_deleted() throws Exception {
    RoutingConfig routing =
        new RoutingConfig(
            Optional.of(
                List.of(MappingRule.builder("all").topic("#").stream("everything").build())),
            List.of());
    startServer(routing);

    AddRuleResponse shadowed =
        admin().addRule(AddRuleRequest.newBuilder().setRule(rule("late", "a/b", "late")).build());
    assertThat(shadowed.getWarningsList())
        .singleElement()
        .asString()
        .contains("rule \"late\" is never reached", "rule \"all\"");
    admin()
        .addRule(
            AddRuleRequest.newBuilder()
                .setRule(rule("early", "a/b", "early").setPosition(1))
                .build());
    assertThat(names()).containsExactly("early", "all", "late");
    assertThat(((IngestOutcome.Stored) publish("a/b", "x")).stream()).isEqualTo("early");
    assertThat(((IngestOutcome.Stored) publish("c", "x")).stream()).isEqualTo("everything");

    StatusRuntimeException e =
        failure(() -> admin().deleteRule(DeleteRuleRequest.newBuilder().setName("all").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains("config file");
  }

  @Test
  void bad_requests_get_the_status_that_fits_and_name_the_problem() {
    startServer(RoutingConfig.DEFAULTS);
    StatusRuntimeException invalid =
        failure(
            () ->
                admin()
                    .addRule(
                        AddRuleRequest.newBuilder()
                            .setRule(rule("r", "a", "s").setKeyTemplate("${device}"))
                            .build()));
    assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(invalid.getStatus().getDescription())
        .isEqualTo(
            "rule \"r\": key template \"${device}\": unknown placeholder ${device}; use"
                + " ${clientid}, ${username}, ${topic} or ${topic.N} (N >= 1)");

    StatusRuntimeException exists =
        failure(
            () ->
                admin()
                    .addRule(
                        AddRuleRequest.newBuilder().setRule(rule("default", "a", "s")).build()));
    assertThat(exists.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);

    StatusRuntimeException missing =
        failure(() -> admin().deleteRule(DeleteRuleRequest.newBuilder().setName("nope").build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);

    assertThat(
            admin().getBridgeStatus(GetBridgeStatusRequest.getDefaultInstance()).getBridgesList())
        .isEmpty();
    StatusRuntimeException noBridge =
        failure(
            () ->
                admin().getBridgeStatus(GetBridgeStatusRequest.newBuilder().setName("x").build()));
    assertThat(noBridge.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void a_message_no_rule_matches_is_counted_and_not_stored() throws Exception {
    startServer(new RoutingConfig(Optional.of(List.of()), List.of()));
    assertThat(publish("a", "x")).isEqualTo(new IngestOutcome.NoMatchingRule("a"));
    assertThat(
            admin()
                .listRules(ListRulesRequest.getDefaultInstance())
                .getCounts()
                .getNoMatchingRule())
        .isEqualTo(1);
    assertThat(server.store().streams().list("")).isEmpty();
  }
}
