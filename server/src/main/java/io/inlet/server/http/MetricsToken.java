package io.inlet.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The bearer token {@code GET /metrics} requires, if any: a request passes with {@code
 * Authorization: Bearer <token>} (the scheme in any case), which is what Prometheus sends with
 * {@code authorization: {type: Bearer, credentials_file: ...}}. Compared in constant time.
 */
final class MetricsToken {
  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  /**
   * @param token the token, or null when /metrics is open
   */
  MetricsToken(String token) {
    this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a request with this {@code Authorization} header (null when absent) may scrape. */
  boolean admits(String authorization) {
    if (expected == null) {
      return true;
    }
    if (authorization == null
        || authorization.length() < SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    byte[] given = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }
}
