package io.inlet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.PrometheusProcess;
import io.inlet.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http-token-file}: GET /metrics needs the bearer token, /health and /ready stay open; a
 * real Prometheus scrapes with {@code authorization.credentials_file} and fails without it.
 */
class MetricsTokenIT {
  private static final String TOKEN = "d2VsbC1rZXB0LXNlY3JldA";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> get(int port, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private InletServer start() throws Exception {
    Path tokenFile = dir.resolve("metrics.token");
    Files.writeString(tokenFile, TOKEN + "\n");
    return TestServers.start(
        ServerConfig.forTests(
            dir.resolve("data"), Map.of("http-token-file", tokenFile.toString())));
  }

  @Test
  void metrics_need_the_bearer_token_and_health_and_ready_stay_open() throws Exception {
    try (InletServer server = start()) {
      int port = server.httpPort();
      HttpResponse<String> anonymous = get(port, "/metrics", null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"inlet\"");
      assertThat(anonymous.body()).doesNotContain("inlet_ready");
      assertThat(get(port, "/metrics", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(get(port, "/metrics", "Basic " + TOKEN).statusCode()).isEqualTo(401);
      assertThat(get(port, "/metrics", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);

      HttpResponse<String> scrape = get(port, "/metrics", "Bearer " + TOKEN);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("inlet_ready 1");
      assertThat(get(port, "/metrics", "bearer " + TOKEN).statusCode()).isEqualTo(200);

      assertThat(get(port, "/health", null).statusCode()).isEqualTo(200);
      assertThat(get(port, "/ready", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void prometheus_scrapes_with_its_authorization_credentials_file_and_not_without()
      throws Exception {
    try (InletServer server = start()) {
      String target = "127.0.0.1:" + server.httpPort();
      String scrapeConfigs =
          String.join(
              "\n",
              "  - job_name: with_token",
              "    authorization:",
              "      type: Bearer",
              "      credentials_file: " + dir.resolve("metrics.token"),
              "    static_configs:",
              "      - targets: ['" + target + "']",
              "  - job_name: without_token",
              "    static_configs:",
              "      - targets: ['" + target + "']",
              "");
      try (PrometheusProcess prometheus =
          PrometheusProcess.start(dir.resolve("prometheus"), scrapeConfigs)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double with = Double.NaN;
        double without = Double.NaN;
        while ((Double.isNaN(with) || Double.isNaN(without) || with != 1)
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
          with = prometheus.value("up{job=\"with_token\"}");
          without = prometheus.value("up{job=\"without_token\"}");
        }
        assertThat(with).as("up of the job with the token").isEqualTo(1);
        assertThat(without).as("up of the job without the token").isEqualTo(0);
        assertThat(prometheus.value("inlet_ready{job=\"with_token\"}")).isEqualTo(1);
      }
    }
  }
}
