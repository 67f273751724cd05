package io.inlet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.record.HStreamRecords;
import io.inlet.bridge.client.BridgeStatus;
import io.inlet.bridge.testing.MosquittoBroker;
import io.inlet.cdc.ConnectorRuntime;
import io.inlet.emqx.v3.proto.BrokerInfo;
import io.inlet.emqx.v3.proto.HookProviderGrpc;
import io.inlet.emqx.v3.proto.Message;
import io.inlet.emqx.v3.proto.MessagePublishRequest;
import io.inlet.emqx.v3.proto.ProviderLoadedRequest;
import io.inlet.emqx.v3.proto.RequestMeta;
import io.inlet.server.InletServer;
import io.inlet.server.config.MqttRoutingConfigLoader;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.CdcDatabases;
import io.inlet.server.testing.AckingConsumer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.PrometheusProcess;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the dashboards in {@code grafana/dashboards}: a real Prometheus scrapes a real node under
 * a small load, then every PromQL expression of every dashboard (panel targets and template
 * variable queries) is evaluated through Prometheus' HTTP API. The test fails listing each
 * expression that is invalid or returns no series. The load covers every ingress: gRPC appends and
 * a subscription, publishes to the node's MQTT listener at each QoS, a bridge from the real
 * Mosquitto ({@code $INLET_IT_MOSQUITTO}, default 127.0.0.1:1883), one EMQX ExHook call, and a
 * MariaDB source connector on the machine's MariaDB ({@code $INLET_IT_MARIADB}).
 *
 * <p>Prometheus is {@code $INLET_IT_PROMETHEUS_BIN} or {@code /usr/bin/prometheus} (Debian package
 * {@code prometheus}); without it the test is skipped, or fails in CI ({@link
 * io.inlet.testing.RequiredServices}).
 */
class PrometheusDashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What each Grafana variable becomes in an expression evaluated by the test. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "instance", ".+",
          "stream", ".+",
          "subscription", ".+",
          "upstream", ".+",
          "connector", ".+",
          "query", ".+",
          "__rate_interval", "30s",
          "__interval", "5s",
          "__range", "5m");

  @TempDir Path dir;

  @Test
  void every_dashboard_expression_returns_series_from_a_live_node() throws Exception {
    List<Path> dashboards = dashboards();
    assertThat(dashboards).as("dashboards in grafana/dashboards").isNotEmpty();
    List<String> expressions = new ArrayList<>();
    for (Path dashboard : dashboards) {
      expressions.addAll(expressions(JSON.readTree(dashboard.toFile())));
    }
    MosquittoBroker mosquitto = MosquittoBroker.require();
    String mariadbDatabase = CdcDatabases.newMariadbDatabase();
    String id = UUID.randomUUID().toString();
    String bridgeClientId = "inlet-it-dashboards-" + id;
    String upstreamTopics = "inlet-it/dashboards/" + id;
    Path configFile = dir.resolve("inlet.yaml");
    Files.writeString(
        configFile,
        """
        bridges:
          - name: mosquitto
            host: %s
            port: %d
            client-id: %s
            topics: [%s/#]
            reconnect-delay-min: 100ms
            reconnect-delay-max: 2s
        """
            .formatted(mosquitto.host, mosquitto.port, bridgeClientId, upstreamTopics));
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"), Map.of("mqtt-port", "0", "sql-checkpoint-interval", "500ms"));
    try {
      try (InletServer server =
          InletServer.start(config, MqttRoutingConfigLoader.load(configFile))) {
        try (PrometheusProcess prometheus =
            PrometheusProcess.start(
                dir.resolve("prometheus"),
                String.join(
                    "\n",
                    "  - job_name: inlet",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + server.httpPort() + "']",
                    ""))) {
          load(server);
          mqttLoad(server, mosquitto, upstreamTopics);
          exhookCall(server.exhookPort());
          connectorLoad(server, mariadbDatabase);
          sqlLoad(server);
          int scrapes = scrapes(prometheus);
          Await.until(
              "three more scrapes after the load",
              Duration.ofSeconds(30),
              () -> scrapes(prometheus) >= scrapes + 3);
          List<String> failures = new ArrayList<>();
          for (String expression : expressions) {
            String problem = evaluate(prometheus, expression);
            if (problem != null) {
              failures.add(problem + ": " + expression);
            }
          }
          assertThat(failures)
              .as(
                  "dashboard expressions that are invalid or return no series (%d evaluated)",
                  expressions.size())
              .isEmpty();
        }
      }
    } finally {
      // The bridge's persistent session upstream, once the node (and its bridge) stopped.
      mosquitto.forgetSession(bridgeClientId);
      try (Connection c = CdcDatabases.mariadbRoot()) {
        CdcDatabases.execute(c, "DROP DATABASE IF EXISTS " + mariadbDatabase);
      }
    }
  }

  // ------------------------------------------------------------------------------ dashboards

  private static List<Path> dashboards() throws IOException {
    Path folder = repositoryRoot().resolve("grafana/dashboards");
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Panel targets' expressions, also in nested rows, and the query variables' queries. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        out.add(query.isObject() ? query.path("query").asText() : query.asText());
      }
    }
    panels(dashboard.path("panels"), out);
    return out;
  }

  private static void panels(JsonNode panels, List<String> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr") && !target.path("expr").asText().isBlank()) {
          out.add(target.path("expr").asText());
        }
      }
      panels(panel.path("panels"), out);
    }
  }

  /** The expression with Grafana's variables replaced by values that match every series. */
  static String substitute(String expression) {
    String out = expression;
    for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
      out = out.replace("${" + variable.getKey() + "}", variable.getValue());
    }
    // Longest names first, so "$__rate_interval" is not taken for "$__range" plus a suffix.
    List<String> names = new ArrayList<>(VARIABLES.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String name : names) {
      out = out.replace("$" + name, VARIABLES.get(name));
    }
    return out;
  }

  /**
   * Evaluates one dashboard expression; null when it returns series, else what is wrong. Grafana's
   * {@code label_values(selector, label)} becomes the selector, which must return series carrying
   * the label.
   */
  private String evaluate(PrometheusProcess prometheus, String expression) {
    String promql = substitute(expression);
    String label = null;
    if (promql.startsWith("label_values(")) {
      String inner = promql.substring("label_values(".length(), promql.lastIndexOf(')'));
      int comma = inner.lastIndexOf(',');
      promql = inner.substring(0, comma).trim();
      label = inner.substring(comma + 1).trim();
    } else if (promql.startsWith("query_result(")) {
      promql = promql.substring("query_result(".length(), promql.lastIndexOf(')'));
    }
    if (promql.contains("$")) {
      return "unknown variable";
    }
    JsonNode body = prometheus.evaluate(promql);
    if (!body.path("status").asText().equals("success")) {
      return "invalid (" + body.path("error").asText() + ")";
    }
    JsonNode result = body.path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return "no series";
    }
    if (label != null) {
      for (JsonNode series : result) {
        if (series.path("metric").hasNonNull(label)) {
          return null;
        }
      }
      return "no series with label " + label;
    }
    return null;
  }

  // ------------------------------------------------------------------------------ load

  /**
   * What an operator's node sees in a quiet minute: streams, appends (and two client mistakes), a
   * subscription whose consumer acknowledges everything, the stats RPCs, a GC.
   */
  private static void load(InletServer server) throws Exception {
    try (GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("sensors", 2);
      client.createStream("events", 1);
      for (String stream : List.of("sensors", "events")) {
        for (long shard : client.shardIds(stream)) {
          for (int i = 0; i < 10; i++) {
            client.append(stream, shard, "r" + i + "-", 20);
          }
        }
      }
      long shard = client.shardIds("events").get(0);
      expectFailure(() -> client.append("events", shard, BatchedRecord.getDefaultInstance()));
      expectFailure(
          () -> client.stub().getStream(GetStreamRequest.newBuilder().setName("nope").build()));
      client
          .stub()
          .createSubscription(
              Subscription.newBuilder()
                  .setSubscriptionId("sensors-sub")
                  .setStreamName("sensors")
                  .setAckTimeoutSeconds(30)
                  .setMaxUnackedRecords(1000)
                  .setOffset(SpecialOffset.EARLIEST)
                  .build());
      AckingConsumer consumer = new AckingConsumer(client, "sensors-sub", "c1");
      Await.until(
          "the consumer to get every record",
          Duration.ofSeconds(30),
          () -> consumer.acked() >= 400);
      System.gc();
      // The consumer stays connected while Prometheus scrapes; the server closes its stream.
    }
  }

  /**
   * Publishes at each QoS to the node's MQTT listener, and upstream to Mosquitto where the node's
   * bridge picks them up; then waits until the bridge has stored them.
   */
  private static void mqttLoad(InletServer server, MosquittoBroker mosquitto, String upstreamTopics)
      throws Exception {
    Mqtt5BlockingClient device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("dashboards-device")
            .serverHost("127.0.0.1")
            .serverPort(server.mqttPort())
            .buildBlocking();
    device.connect();
    try {
      for (MqttQos qos : MqttQos.values()) {
        device
            .publishWith()
            .topic("sensors/dev-1/temperature")
            .qos(qos)
            .payload("{\"t\":21}".getBytes(StandardCharsets.UTF_8))
            .send();
      }
    } finally {
      device.disconnect();
    }
    Await.until(
        "the bridge subscribed upstream",
        Duration.ofSeconds(30),
        () -> bridge(server).subscribed());
    mosquitto.publish(
        upstreamTopics + "/dev-2/temperature",
        List.of("21".getBytes(StandardCharsets.UTF_8), "22".getBytes(StandardCharsets.UTF_8)));
    Await.until(
        "the bridge to store what Mosquitto sent",
        Duration.ofSeconds(30),
        () -> bridge(server).messagesStored() >= 2);
  }

  private static BridgeStatus bridge(InletServer server) {
    return server.mqtt().bridgeStatuses().get(0);
  }

  /** One message through EMQX's ExHook, as EMQX 5 sends it (emqx.exhook.v3). */
  private static void exhookCall(int port) throws InterruptedException {
    assertThat(port).as("exhook port").isPositive();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      RequestMeta meta =
          RequestMeta.newBuilder().setNode("emqx@127.0.0.1").setVersion("5.9.1").build();
      var emqx = HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      emqx.onProviderLoaded(
          ProviderLoadedRequest.newBuilder()
              .setBroker(BrokerInfo.newBuilder().setVersion("5.9.1"))
              .setMeta(meta)
              .build());
      emqx.onMessagePublish(
          MessagePublishRequest.newBuilder()
              .setMessage(
                  Message.newBuilder()
                      .setNode("emqx@127.0.0.1")
                      .setId("0001")
                      .setQos(1)
                      .setFrom("dev-3")
                      .setTopic("sensors/dev-3/temperature")
                      .setPayload(ByteString.copyFromUtf8("{\"t\":23}"))
                      .setTimestamp(System.currentTimeMillis()))
              .setMeta(meta)
              .build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A MariaDB source connector (the machine's MariaDB, {@code $INLET_IT_MARIADB}) that snapshots
   * three rows into a stream, so that every connector meter has series.
   */
  private static void connectorLoad(InletServer server, String database) throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      CdcDatabases.execute(
          db,
          "CREATE TABLE t (id INT PRIMARY KEY, v INT)",
          "INSERT INTO t VALUES (1,1),(2,2),(3,3)");
    }
    String mariadb = CdcDatabases.mariadb();
    ConnectorRuntime connectors = server.connectors().runtime();
    connectors.create(
        "dashboards-cdc",
        "SOURCE",
        "mariadb",
        Map.of(
            "stream",
            "cdc-t",
            "host",
            CdcDatabases.host(mariadb),
            "port",
            Integer.toString(CdcDatabases.port(mariadb)),
            "user",
            CdcDatabases.CDC_USER,
            "password",
            CdcDatabases.CDC_PASSWORD,
            "database",
            database,
            "table",
            "t"));
    Await.until(
        "the connector to deliver the snapshot",
        Duration.ofSeconds(90),
        () -> connectors.get("dashboards-cdc").records() >= 3);
  }

  /** A SQL query copying a few records, running while Prometheus scrapes its meters. */
  private static void sqlLoad(InletServer server) throws Exception {
    try (GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("sqlin", 1);
      List<HStreamRecord> records = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String json = "{\"device\":\"d" + i + "\",\"v\":" + i + "}";
        records.add(HStreamRecords.raw("k", json.getBytes(StandardCharsets.UTF_8), Map.of()));
      }
      client.append("sqlin", client.shardIds("sqlin").get(0), GrpcClient.batch(records));
      client
          .stub()
          .withDeadlineAfter(120, TimeUnit.SECONDS)
          .createQuery(
              CreateQueryRequest.newBuilder()
                  .setQueryName("dashboards_copy")
                  .setSql("CREATE STREAM sqlout AS SELECT device, v FROM sqlin;")
                  .build());
      Await.until(
          "the query to copy the records",
          Duration.ofSeconds(120),
          () -> StreamContents.records(client, "sqlout").size() >= 3);
    }
  }

  private static void expectFailure(Runnable call) {
    try {
      call.run();
      fail("expected the call to fail");
    } catch (StatusRuntimeException expected) {
      // A client mistake, as the dashboards' error panels expect to see now and then.
    }
  }

  // ------------------------------------------------------------------------------ Prometheus

  /** How many times Prometheus has scraped the node. */
  private static int scrapes(PrometheusProcess prometheus) {
    double count = prometheus.value("count_over_time(up{job=\"inlet\"}[10m])");
    return Double.isNaN(count) ? 0 : (int) count;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("grafana"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no grafana/ folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
