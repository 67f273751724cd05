package io.inlet.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.testing.FreePorts;
import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server for a test: {@code $INLET_IT_PROMETHEUS_BIN} or {@code
 * /usr/bin/prometheus} (Debian package {@code prometheus}), run with a scrape configuration the
 * test writes, its storage and log in the test's directory. Without the binary the test is skipped,
 * or fails in CI ({@link RequiredServices}).
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final String api;

  private PrometheusProcess(Process process, String api) {
    this.process = process;
    this.api = api;
  }

  /**
   * Starts Prometheus with {@code scrapeConfigs} (the YAML list under {@code scrape_configs:},
   * indented by two spaces) and a 1 s scrape interval, and waits until it is ready.
   */
  public static PrometheusProcess start(Path dir, String scrapeConfigs) throws Exception {
    Path binary = binary();
    int port = FreePorts.one();
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
                "\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:")
            + "\n"
            + scrapeConfigs);
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusProcess prometheus = new PrometheusProcess(process, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (prometheus.status("/-/ready") != 200) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        prometheus.close();
        fail(
            "Prometheus did not become ready; its log:\n"
                + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(100);
    }
    return prometheus;
  }

  /** The base URL of its HTTP API, e.g. {@code http://127.0.0.1:PORT}. */
  public String api() {
    return api;
  }

  /**
   * The whole answer of an instant query ({@code status}, {@code error}, {@code data.result}); an
   * empty object when Prometheus cannot be reached.
   */
  public JsonNode evaluate(String promql) {
    try {
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
      return JSON.readTree(response.body());
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode();
    }
  }

  /** The {@code result} array of an instant query (empty when the query fails). */
  public JsonNode query(String promql) {
    return evaluate(promql).path("data").path("result");
  }

  /** The value of a query that yields one sample, or NaN when it yields none. */
  public double value(String promql) {
    JsonNode result = query(promql);
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  private int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Path binary() {
    String configured = System.getenv("INLET_IT_PROMETHEUS_BIN");
    Path binary =
        Path.of(configured == null || configured.isBlank() ? "/usr/bin/prometheus" : configured);
    if (!Files.isExecutable(binary)) {
      String message =
          "Prometheus not found at "
              + binary
              + ": install it with `apt-get install prometheus` or set INLET_IT_PROMETHEUS_BIN";
      throw RequiredServices.missing(message);
    }
    return binary;
  }
}
