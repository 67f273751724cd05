package io.inlet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.RawConnection;
import io.inlet.server.testing.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and greedy HTTP clients against a live node: a client that holds part of a request
 * (slowloris), connects and says nothing, or opens more connections than allowed blocks nobody
 * else, and is closed.
 */
class HttpSlowClientsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private InletServer start(Map<String, String> settings) {
    return TestServers.start(ServerConfig.forTests(dir.resolve("data"), settings));
  }

  @Test
  void clients_holding_part_of_a_request_block_nobody_and_are_closed_after_the_timeout()
      throws Exception {
    try (InletServer server = start(Map.of("http-request-timeout", "1s"))) {
      int port = server.httpPort();
      List<RawConnection> slow = new ArrayList<>();
      try {
        slow.add(RawConnection.open(port)); // says nothing
        slow.add(RawConnection.open(port).send(ascii("G"))); // one byte
        for (int i = 0; i < 20; i++) {
          // a whole request line and a header, never the blank line that ends the headers
          slow.add(RawConnection.open(port).send(ascii("GET /metrics HTTP/1.1\r\nHost: x\r\n")));
        }
        for (int round = 0; round < 3; round++) {
          assertThat(get(port, "/health").statusCode()).isEqualTo(200);
          assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
          HttpResponse<String> metrics = get(port, "/metrics");
          assertThat(metrics.statusCode()).isEqualTo(200);
          assertThat(metrics.body()).contains("inlet_ready 1");
        }
        for (RawConnection connection : slow) {
          assertThat(connection.closedByServerWithin(CLOSED_WITHIN))
              .as("a client that never finished its request is closed")
              .isTrue();
        }
      } finally {
        for (RawConnection connection : slow) {
          connection.close();
        }
      }
    }
  }

  @Test
  void a_client_trickling_a_request_byte_by_byte_is_closed_at_the_deadline() throws Exception {
    try (InletServer server = start(Map.of("http-request-timeout", "1s"));
        RawConnection trickle = RawConnection.open(server.httpPort())) {
      byte[] request = ascii("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(200));
      boolean closed = false;
      long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
      for (int i = 0; !closed && System.nanoTime() < deadline; i = (i + 1) % request.length) {
        try {
          trickle.send(new byte[] {request[i]});
        } catch (IOException e) {
          closed = true; // the server closed the connection under our feet
          break;
        }
        closed = !trickle.isOpenAfter(Duration.ofMillis(100));
      }
      assertThat(closed).as("a request sent a byte every 100 ms is cut at the deadline").isTrue();
    }
  }

  @Test
  void connections_beyond_the_cap_are_closed_at_once() throws Exception {
    try (InletServer server =
        start(Map.of("http-max-connections", "3", "http-request-timeout", "60s"))) {
      int port = server.httpPort();
      List<RawConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(RawConnection.open(port));
        }
        try (RawConnection fourth = RawConnection.open(port)) {
          assertThat(fourth.closedByServerWithin(CLOSED_WITHIN)).isTrue();
        }
        held.remove(0).close();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = -1;
        while (status != 200 && System.nanoTime() < deadline) {
          try {
            status = get(port, "/health").statusCode();
          } catch (IOException e) {
            Thread.sleep(50); // the freed place is released as the server sees the close
          }
        }
        assertThat(status).isEqualTo(200);
        assertThat(server.metrics().scrape())
            .contains("inlet_listener_connections_refused_total{listener=\"http\"}");
      } finally {
        for (RawConnection connection : held) {
          connection.close();
        }
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
