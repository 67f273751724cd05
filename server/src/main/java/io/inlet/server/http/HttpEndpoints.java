package io.inlet.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node's HTTP endpoints: {@code GET /metrics} (every meter in the Prometheus text format),
 * {@code GET /health} (the process is alive) and {@code GET /ready} (the store is open and takes
 * writes, and every listener is bound; 503 otherwise). /health and /ready answer JSON.
 */
public final class HttpEndpoints implements AutoCloseable {
  /**
   * What /ready reports. A port is -1 while its listener is not bound; {@code storeRefusesWrites}
   * says why the store refuses writes (and when they resume), null while it takes them.
   */
  public record Readiness(
      boolean ready, boolean storeOpen, int grpcPort, int httpPort, String storeRefusesWrites) {
    public Readiness(boolean ready, boolean storeOpen, int grpcPort, int httpPort) {
      this(ready, storeOpen, grpcPort, httpPort, null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoints(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * @throws java.net.BindException when the port is in use
   */
  public static HttpEndpoints start(
      String bind, int port, Supplier<Readiness> readiness, Metrics metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> metrics(exchange, metrics));
    server.createContext("/health", exchange -> health(exchange));
    server.createContext("/ready", exchange -> ready(exchange, readiness.get()));
    server.start();
    return new HttpEndpoints(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** What /metrics serves. */
  public interface Metrics {
    String contentType();

    String scrape();
  }

  private static void metrics(HttpExchange exchange, Metrics metrics) throws IOException {
    if (!allowed(exchange, "/metrics")) {
      return;
    }
    respond(exchange, 200, metrics.contentType(), metrics.scrape());
  }

  private static void health(HttpExchange exchange) throws IOException {
    if (!allowed(exchange, "/health")) {
      return;
    }
    respond(exchange, 200, "{\"status\":\"UP\"}");
  }

  private static void ready(HttpExchange exchange, Readiness r) throws IOException {
    if (!allowed(exchange, "/ready")) {
      return;
    }
    String body =
        "{\"ready\":"
            + r.ready()
            + ",\"checks\":{\"store\":\""
            + (!r.storeOpen()
                ? "closed"
                : r.storeRefusesWrites() == null ? "open" : "refusing writes")
            + "\""
            + (r.storeRefusesWrites() == null
                ? ""
                : ",\"storeReason\":\"" + jsonEscape(r.storeRefusesWrites()) + "\"")
            + ",\"grpc\":"
            + listener(r.grpcPort())
            + ",\"http\":"
            + listener(r.httpPort())
            + "}}";
    respond(exchange, r.ready() ? 200 : 503, body);
  }

  private static String jsonEscape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String listener(int port) {
    return port < 0 ? "{\"bound\":false}" : "{\"bound\":true,\"port\":" + port + "}";
  }

  private static boolean allowed(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, "{\"error\":\"not found\"}");
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "{\"error\":\"method not allowed\"}");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, "application/json", body);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
