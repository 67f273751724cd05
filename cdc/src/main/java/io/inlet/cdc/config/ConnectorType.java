package io.inlet.cdc.config;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import java.util.Locale;

/** SOURCE connectors bring changes into a stream; SINK connectors deliver a stream elsewhere. */
public enum ConnectorType {
  SOURCE,
  SINK;

  /**
   * Parses {@code source} or {@code sink}, ignoring case, as HStreamDB does.
   *
   * @throws InletException ConnectorInvalidType for anything else
   */
  public static ConnectorType parse(String text) {
    String upper = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "SOURCE" -> SOURCE;
      case "SINK" -> SINK;
      default ->
          throw new InletException(
              ErrorCode.ConnectorInvalidType,
              "connector type \"" + text + "\" is invalid: use SOURCE or SINK");
    };
  }
}
