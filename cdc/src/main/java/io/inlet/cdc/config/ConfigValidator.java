package io.inlet.cdc.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a connector config against its {@link ConnectorSpec} before anything runs: missing
 * required keys, values of the wrong type or out of range, unknown sink keys. The first problem is
 * reported as {@link InletException} ConnectorCheckFailed naming the key and the value.
 */
public final class ConfigValidator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigValidator() {}

  /**
   * Parses the config JSON object of CreateConnector (values may be strings, numbers or booleans).
   *
   * @throws InletException ConnectorCheckFailed when it is not a JSON object of scalars
   */
  public static Map<String, String> parseJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (JsonProcessingException e) {
      throw failed(
          "connector config is not valid JSON: " + e.getOriginalMessage() + "; give a JSON object");
    }
    if (root == null || !root.isObject()) {
      throw failed("connector config must be a JSON object of keys and values");
    }
    Map<String, String> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw failed(
            "connector config key \""
                + field.getKey()
                + "\" must be a string, number or boolean, found: "
                + value);
      }
      if (!value.isNull()) {
        values.put(field.getKey(), value.asText());
      }
    }
    return values;
  }

  /**
   * Validates {@code given} and fills in defaults.
   *
   * @throws InletException ConnectorCheckFailed naming the first bad key
   */
  public static ConnectorConfig validate(ConnectorSpec spec, Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigKey key : spec.keys()) {
      String value = given.get(key.name());
      if (value == null || (value.isBlank() && key.type() != ConfigKey.ValueType.PASSWORD)) {
        if (key.required()) {
          throw failed(
              "connector config key \"" + key.name() + "\" is missing: " + key.description());
        }
        value = key.defaultValue();
      } else {
        value = checked(key, value.trim().equals(value) ? value : value.trim());
      }
      if (value != null) {
        values.put(key.name(), value);
      }
    }
    for (Map.Entry<String, String> entry : given.entrySet()) {
      if (spec.key(entry.getKey()).isPresent()) {
        continue;
      }
      if (!spec.passesOtherKeys()) {
        throw failed(
            "connector config key \""
                + entry.getKey()
                + "\" is unknown to "
                + spec.type().name().toLowerCase(Locale.ROOT)
                + " connectors for "
                + spec.target().id()
                + " (GetConnectorSpec lists the keys)");
      }
      values.put(entry.getKey(), entry.getValue());
    }
    return new ConnectorConfig(spec, values, given);
  }

  private static String checked(ConfigKey key, String value) {
    switch (key.type()) {
      case INTEGER -> {
        long number;
        try {
          number = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw badValue(key, value, "an integer");
        }
        if (number < key.min() || number > key.max()) {
          throw badValue(key, value, "an integer in " + key.min() + ".." + key.max());
        }
        return Long.toString(number);
      }
      case BOOLEAN -> {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
          throw badValue(key, value, "true or false");
        }
        return lower;
      }
      default -> {
        if (!key.choices().isEmpty()) {
          for (String choice : key.choices()) {
            if (choice.equalsIgnoreCase(value)) {
              return choice;
            }
          }
          throw badValue(key, value, "one of " + String.join(", ", key.choices()));
        }
        return value;
      }
    }
  }

  private static InletException badValue(ConfigKey key, String value, String expected) {
    return failed(
        "connector config key \""
            + key.name()
            + "\" must be "
            + expected
            + ", found: \""
            + value
            + "\"");
  }

  static InletException failed(String message) {
    return new InletException(ErrorCode.ConnectorCheckFailed, message);
  }
}
