package io.inlet.server;

import io.inlet.server.config.ServerConfig;
import io.inlet.server.http.HttpEndpoints;
import io.inlet.server.metrics.ConnectionMetrics;
import io.inlet.server.metrics.InletMetrics;
import java.io.IOException;
import java.net.BindException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node's HTTP endpoints: /metrics (the node's meters), /health and /ready. */
final class HttpStartup {
  private static final Logger log = LoggerFactory.getLogger(InletServer.class);

  private HttpStartup() {}

  /**
   * @throws StartupException when http-port is in use or cannot be listened on
   */
  static HttpEndpoints start(
      ServerConfig config,
      Supplier<HttpEndpoints.Readiness> readiness,
      InletMetrics metrics,
      NetworkEventLoops loops) {
    HttpEndpoints http;
    try {
      http =
          HttpEndpoints.start(
              config.bind(),
              config.httpPort(),
              config.network().http(),
              readiness,
              new HttpEndpoints.Metrics() {
                @Override
                public String contentType() {
                  return InletMetrics.CONTENT_TYPE;
                }

                @Override
                public String scrape() {
                  return metrics.scrape();
                }
              },
              loops.boss(),
              loops.http());
    } catch (BindException e) {
      throw StartupFailures.bindFailure(e, "http-port", config.httpPort());
    } catch (IOException e) {
      throw new StartupException(
          "cannot start HTTP on " + config.bind() + ":" + config.httpPort() + ": " + e.getMessage(),
          e);
    }
    ConnectionMetrics.bind(metrics.registry(), http.connections());
    log.info(
        "HTTP listening on {}:{} (/metrics{}, /health, /ready)",
        config.bind(),
        http.port(),
        config.network().http().metricsToken() == null ? "" : " with a bearer token");
    return http;
  }
}
