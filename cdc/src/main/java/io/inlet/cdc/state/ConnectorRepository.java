package io.inlet.cdc.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.state.KeyValueStore;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connector definitions in the node's key-value store ({@value ConnectorStateSpace#DEFINITIONS}).
 */
public final class ConnectorRepository {
  private static final Logger log = LoggerFactory.getLogger(ConnectorRepository.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyValueStore store;

  public ConnectorRepository(KeyValueStore store) {
    this.store = store;
  }

  /** Durable when it returns. */
  public void save(ConnectorDefinition definition) {
    store.put(ConnectorStateSpace.DEFINITIONS, definition.name(), encode(definition));
  }

  public void delete(String name) {
    store.delete(ConnectorStateSpace.DEFINITIONS, name);
  }

  /** The saved definition of {@code name}; empty when none is saved or it no longer decodes. */
  public Optional<ConnectorDefinition> find(String name) {
    return store.get(ConnectorStateSpace.DEFINITIONS, name).flatMap(value -> decoded(name, value));
  }

  /** Every saved definition; one that no longer decodes is skipped with a warning (and kept). */
  public List<ConnectorDefinition> load() {
    List<ConnectorDefinition> out = new ArrayList<>();
    store
        .list(ConnectorStateSpace.DEFINITIONS)
        .forEach((name, value) -> decoded(name, value).ifPresent(out::add));
    return out;
  }

  private static Optional<ConnectorDefinition> decoded(String name, byte[] value) {
    try {
      return Optional.of(decode(value));
    } catch (RuntimeException | JsonProcessingException e) {
      log.warn(
          "connector \"{}\" is ignored: its definition does not decode: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  static byte[] encode(ConnectorDefinition d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", d.name());
    node.put("type", d.type().name());
    node.put("target", d.target().id());
    node.put("createdAt", d.createdAt().toString());
    node.put("paused", d.paused());
    ObjectNode config = node.putObject("config");
    d.config().forEach(config::put);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  static ConnectorDefinition decode(byte[] bytes) throws JsonProcessingException {
    JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    ConnectorType type = ConnectorType.parse(node.get("type").asText());
    Map<String, String> config = new LinkedHashMap<>();
    node.get("config")
        .fields()
        .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return new ConnectorDefinition(
        node.get("name").asText(),
        type,
        Target.parse(type, node.get("target").asText()),
        config,
        Instant.parse(node.get("createdAt").asText()),
        node.get("paused").asBoolean());
  }
}
