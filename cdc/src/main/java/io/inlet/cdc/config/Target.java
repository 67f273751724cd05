package io.inlet.cdc.config;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The systems connectors talk to, by the name HStreamDB uses in {@code FROM|TO name}. */
public enum Target {
  MYSQL("mysql", 3306, true, true),
  MARIADB("mariadb", 3306, true, true),
  POSTGRESQL("postgresql", 5432, true, true),
  SQLSERVER("sqlserver", 1433, true, false);

  private final String id;
  private final int defaultPort;
  private final boolean source;
  private final boolean sink;

  Target(String id, int defaultPort, boolean source, boolean sink) {
    this.id = id;
    this.defaultPort = defaultPort;
    this.source = source;
    this.sink = sink;
  }

  public String id() {
    return id;
  }

  public int defaultPort() {
    return defaultPort;
  }

  public boolean supports(ConnectorType type) {
    return type == ConnectorType.SOURCE ? source : sink;
  }

  /**
   * The target of a connector of {@code type}, by name ignoring case.
   *
   * @throws InletException ConnectorInvalidType naming the targets there are
   */
  public static Target parse(ConnectorType type, String text) {
    String lower = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Target target : values()) {
      if (target.id.equals(lower) && target.supports(type)) {
        return target;
      }
    }
    String known =
        Arrays.stream(values())
            .filter(t -> t.supports(type))
            .map(Target::id)
            .collect(Collectors.joining(", "));
    throw new InletException(
        ErrorCode.ConnectorInvalidType,
        "there is no "
            + type.name().toLowerCase(Locale.ROOT)
            + " connector for \""
            + text
            + "\": use one of "
            + known);
  }
}
