package io.inlet.sql.pull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * JSON access on JSON text ({@code ->}, {@code ->>}, {@code #>}, {@code #>>} and {@code e[i]} on a
 * field holding a JSON array), with the translator's semantics for push queries: a chain is one
 * path from its base; a key or index that is not there, or text that is not JSON, gives NULL (lax,
 * like Flink's JSON functions). The last step's operator decides the result: {@code ->}/{@code #>}
 * give an object or array as its JSON text and a scalar as its text; {@code ->>}/{@code #>>} give a
 * scalar as its text and NULL for an object or array. A JSON null is NULL.
 */
final class JsonSteps {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param path object keys (String) and array indexes (Integer), outermost first
   * @param text whether the last step asks for text ({@code ->>}, {@code #>>})
   */
  record Path(List<Object> path, boolean text) {}

  private JsonSteps() {}

  static String read(Object json, Path path) {
    if (!(json instanceof String text)) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
    for (Object step : path.path()) {
      if (node == null) {
        return null;
      }
      if (step instanceof Integer index) {
        node = node.isArray() ? node.get(index) : null;
      } else {
        node = node.isObject() ? node.get((String) step) : null;
      }
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isContainerNode()) {
      return path.text() ? null : node.toString();
    }
    return node.asText();
  }
}
