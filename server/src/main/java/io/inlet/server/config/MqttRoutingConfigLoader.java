package io.inlet.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.api.config.ConfigException;
import io.inlet.bridge.config.InvalidRoutingConfigException;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.config.RoutingConfigCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads the structured sections of the YAML config file ({@code rules:} and {@code bridges:}) and
 * hands them to the broker bridge's {@link RoutingConfigCodec}, which defines their keys, defaults
 * and checks; this class only reads the file and turns the codec's errors into {@link
 * ConfigException}s.
 */
public final class MqttRoutingConfigLoader {
  /** The top-level keys the codec owns; {@link ServerConfigLoader} leaves them alone. */
  public static final Set<String> SECTIONS = RoutingConfigCodec.SECTIONS;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private MqttRoutingConfigLoader() {}

  /**
   * @param configFile the YAML file, or null for none
   * @throws ConfigException for an unreadable file or an invalid entry, naming it
   */
  public static RoutingConfig load(Path configFile) {
    if (configFile == null) {
      return RoutingConfig.DEFAULTS;
    }
    String text;
    try {
      text = Files.readString(configFile);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + configFile + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + configFile + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "config file " + configFile + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return RoutingConfig.DEFAULTS;
    }
    return parse(root, configFile.toAbsolutePath().getParent());
  }

  /**
   * @param baseDir where relative paths (password-file, tls files) are resolved
   */
  @SuppressWarnings("unchecked")
  static RoutingConfig parse(JsonNode root, Path baseDir) {
    try {
      return RoutingConfigCodec.parse(YAML.convertValue(root, Map.class), baseDir);
    } catch (InvalidRoutingConfigException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** The generated reference of both sections, as markdown tables (for docs/mqtt.md). */
  public static String markdown() {
    return RoutingConfigCodec.markdown();
  }
}
