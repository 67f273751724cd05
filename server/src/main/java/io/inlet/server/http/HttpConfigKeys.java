package io.inlet.server.http;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP endpoints' port and how it guards itself (connection cap, request deadline, the bearer
 * token of /metrics); {@link #settings} builds {@link HttpSettings} from them.
 */
public final class HttpConfigKeys {
  private HttpConfigKeys() {}

  public static final Option<Integer> HTTP_PORT =
      Option.of(
          "http-port",
          "port",
          "",
          "9464",
          "Port of the HTTP endpoints (/metrics, /health, /ready); 0 picks a free port.",
          ValueParsers.port());

  public static final Option<Integer> HTTP_MAX_CONNECTIONS =
      Option.of(
          "http-max-connections",
          "integer",
          "",
          "64",
          "Connections the HTTP port holds open at most; more are closed as soon as they are"
              + " accepted.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Duration> HTTP_REQUEST_TIMEOUT =
      Option.of(
          "http-request-timeout",
          "duration",
          "ms, s, m, h, d",
          "10s",
          "Longest an HTTP client may take to send a whole request, from connecting or from the"
              + " previous response on a kept-alive connection; a slower (or silent) client is"
              + " closed.",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Optional<Path>> HTTP_TOKEN_FILE =
      Option.of(
          "http-token-file",
          "path",
          "",
          "<none: /metrics is open>",
          "File holding a bearer token GET /metrics then requires (Authorization: Bearer"
              + " <token>; Prometheus: authorization.credentials_file). /health and /ready stay"
              + " open. Read at start-up.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(HTTP_PORT, HTTP_MAX_CONNECTIONS, HTTP_REQUEST_TIMEOUT, HTTP_TOKEN_FILE);

  /**
   * The HTTP port's settings, with the token read from its file.
   *
   * @throws ConfigException for a token file that cannot be read or holds no usable token
   */
  public static HttpSettings settings(OptionValues values) {
    return new HttpSettings(
        values.get(HTTP_MAX_CONNECTIONS),
        values.get(HTTP_REQUEST_TIMEOUT),
        values.get(HTTP_TOKEN_FILE).map(HttpConfigKeys::readToken).orElse(null));
  }

  /** The token: the file's content without surrounding white space (a trailing newline). */
  private static String readToken(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new ConfigException("http-token-file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("http-token-file " + file + " cannot be read: " + e.getMessage());
    }
    if (token.isEmpty()) {
      throw new ConfigException("http-token-file " + file + " is empty");
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new ConfigException(
          "http-token-file "
              + file
              + " must hold one token of visible ASCII characters (no spaces or line breaks)");
    }
    return token;
  }
}
