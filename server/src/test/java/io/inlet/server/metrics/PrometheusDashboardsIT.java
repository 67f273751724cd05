package io.inlet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Subscription;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the dashboards in {@code grafana/dashboards}: a real Prometheus scrapes a real node under
 * a small load, then every PromQL expression of every dashboard (panel targets and template
 * variable queries) is evaluated through Prometheus' HTTP API. The test fails listing each
 * expression that is invalid or returns no series.
 *
 * <p>Prometheus is {@code $INLET_IT_PROMETHEUS_BIN} or {@code /usr/bin/prometheus} (Debian package
 * {@code prometheus}); without it the test is skipped, or fails under INLET_IT_REQUIRE_SERVICES.
 */
class PrometheusDashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What each Grafana variable becomes in an expression evaluated by the test. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "instance", ".+",
          "stream", ".+",
          "subscription", ".+",
          "__rate_interval", "30s",
          "__interval", "5s",
          "__range", "5m");

  @TempDir Path dir;

  @Test
  void every_dashboard_expression_returns_series_from_a_live_node() throws Exception {
    Path prometheusBin = prometheusBinary();
    List<Path> dashboards = dashboards();
    assertThat(dashboards).as("dashboards in grafana/dashboards").isNotEmpty();
    List<String> expressions = new ArrayList<>();
    for (Path dashboard : dashboards) {
      expressions.addAll(expressions(JSON.readTree(dashboard.toFile())));
    }
    try (InletServer server = TestServers.start(dir.resolve("data"))) {
      Process prometheus = startPrometheus(prometheusBin, server.httpPort());
      try {
        String api = "http://127.0.0.1:" + prometheusPort;
        await("Prometheus ready", Duration.ofSeconds(30), () -> get(api + "/-/ready") == 200);
        load(server);
        int scrapes = scrapes(api);
        await(
            "three more scrapes after the load",
            Duration.ofSeconds(30),
            () -> scrapes(api) >= scrapes + 3);
        List<String> failures = new ArrayList<>();
        for (String expression : expressions) {
          String problem = evaluate(api, expression);
          if (problem != null) {
            failures.add(problem + ": " + expression);
          }
        }
        assertThat(failures)
            .as(
                "dashboard expressions that are invalid or return no series (%d evaluated)",
                expressions.size())
            .isEmpty();
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
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
  private String evaluate(String api, String expression) throws Exception {
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
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        api
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
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
      await(
          "the consumer to get every record",
          Duration.ofSeconds(30),
          () -> consumer.acked() >= 400);
      System.gc();
      // The consumer stays connected while Prometheus scrapes; the server closes its stream.
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

  private int prometheusPort;

  private Process startPrometheus(Path binary, int inletHttpPort) throws IOException {
    prometheusPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: inlet",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + inletHttpPort + "']",
            ""));
    Path log = dir.resolve("prometheus.log");
    return new ProcessBuilder(
            binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort,
            "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** How many times Prometheus has scraped the node. */
  private static int scrapes(String api) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          api
                              + "/api/v1/query?query="
                              + URLEncoder.encode(
                                  "count_over_time(up{job=\"inlet\"}[10m])",
                                  StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode result = JSON.readTree(response.body()).path("data").path("result");
      return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asInt();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int get(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path prometheusBinary() {
    String configured = System.getenv("INLET_IT_PROMETHEUS_BIN");
    Path binary =
        Path.of(configured == null || configured.isBlank() ? "/usr/bin/prometheus" : configured);
    if (!Files.isExecutable(binary)) {
      String message =
          "Prometheus not found at "
              + binary
              + ": install it with `apt-get install prometheus` or set INLET_IT_PROMETHEUS_BIN";
      if ("true".equalsIgnoreCase(System.getenv("INLET_IT_REQUIRE_SERVICES"))) {
        fail(message + " (INLET_IT_REQUIRE_SERVICES=true turns this skip into a failure)");
      }
      Assumptions.abort(message);
    }
    return binary;
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

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
