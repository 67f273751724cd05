package io.inlet.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP port accepts and serves clients.
 *
 * @param maxConnections connections held open at most; more are closed at once
 * @param requestTimeout the longest a client may take to send a whole request, counted from the
 *     connection opening or from the previous response on a kept-alive connection; a slower client
 *     (or one that sends nothing) is closed
 * @param metricsToken the bearer token {@code GET /metrics} requires ({@code Authorization: Bearer
 *     <token>}), or null when /metrics is open
 */
public record HttpSettings(int maxConnections, Duration requestTimeout, String metricsToken) {
  public HttpSettings {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "http-max-connections must be at least 1, found: " + maxConnections);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "http-request-timeout must be positive, found: " + requestTimeout);
    }
    if (metricsToken != null && metricsToken.isEmpty()) {
      throw new IllegalArgumentException("the /metrics token must not be empty");
    }
  }

  @Override
  public String toString() {
    // Never print the token.
    return "HttpSettings[maxConnections="
        + maxConnections
        + ", requestTimeout="
        + requestTimeout
        + ", metricsToken="
        + (metricsToken == null ? "none" : "set")
        + "]";
  }
}
