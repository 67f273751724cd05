package io.inlet.cdc.source;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.cdc.config.ConnectorConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Asks Debezium's connector to validate a source config before the connector is created: Debezium
 * checks its keys and connects to the database (credentials, privileges, binlog/WAL settings). The
 * first error is reported naming the user's key (host, not database.hostname).
 */
public final class SourceCheck {
  private SourceCheck() {}

  /**
   * @throws InletException ConnectorCheckFailed with Debezium's message for the first bad key
   */
  public static void check(String name, ConnectorConfig config) {
    Map<String, String> props = new HashMap<>();
    DebeziumProperties.connector(name, config).forEach((k, v) -> props.put((String) k, (String) v));
    SourceConnector connector;
    try {
      connector =
          (SourceConnector)
              Class.forName(DebeziumProperties.connectorClass(config.spec().target()))
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Debezium's connector class is missing", e);
    }
    Config result;
    try {
      result = connector.validate(props);
    } catch (RuntimeException e) {
      throw new InletException(
          ErrorCode.ConnectorCheckFailed,
          "connector config is refused by Debezium: " + e.getMessage());
    }
    for (ConfigValue value : result.configValues()) {
      if (!value.errorMessages().isEmpty()) {
        String key = DebeziumProperties.USER_KEY_OF.getOrDefault(value.name(), value.name());
        throw new InletException(
            ErrorCode.ConnectorCheckFailed,
            "connector config key \"" + key + "\": " + String.join("; ", value.errorMessages()));
      }
    }
  }
}
