package io.inlet.cdc.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A connector config as the JSON object GetConnector returns. */
final class ConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigJson() {}

  static String write(Map<String, String> config) {
    ObjectNode node = JSON.createObjectNode();
    config.forEach(node::put);
    return node.toString();
  }
}
