package io.inlet.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.client.InvalidBridgeException;
import io.inlet.bridge.client.MqttProtocol;
import io.inlet.bridge.client.TlsSettings;
import io.inlet.bridge.rules.InvalidRuleException;
import io.inlet.bridge.rules.KeyTemplate;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.NonJsonPolicy;
import io.inlet.bridge.rules.PayloadMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the structured sections of the YAML config file: {@code rules:} (MQTT topic → stream
 * mapping rules, tried in order) and {@code bridges:} (upstream brokers to subscribe to). Each
 * entry is a mapping whose keys are listed in {@link #RULE_FIELDS} and {@link #BRIDGE_FIELDS}; an
 * unknown key or a bad value is an error naming the entry and the key.
 *
 * <pre>
 * rules:
 *   - name: temperatures
 *     topic: sensors/+/temperature
 *     stream: temperatures
 *     payload: json
 * bridges:
 *   - name: plant
 *     host: broker.plant.example
 *     topics: [sensors/#]
 * </pre>
 */
public final class MqttRoutingConfigLoader {
  /** The top-level keys this loader owns; {@link ServerConfigLoader} leaves them alone. */
  public static final Set<String> SECTIONS = Set.of("rules", "bridges");

  public static final List<SectionField> RULE_FIELDS =
      List.of(
          new SectionField("name", "name", "(required)", "The rule's unique name."),
          new SectionField(
              "topic",
              "topic filter",
              "(required)",
              "MQTT topic filter the rule matches; `+` is one level, `#` (last) any number."),
          new SectionField("stream", "name", "(required)", "Stream the records go to."),
          new SectionField(
              "key",
              "template",
              "`" + KeyTemplate.DEFAULT + "`",
              "Record key: text with `${clientid}`, `${username}`, `${topic}`, `${topic.N}`"
                  + " (N-th level, from 1)."),
          new SectionField(
              "payload",
              "raw \\| json",
              "`raw`",
              "`raw` stores the bytes; `json` stores a JSON object payload as a JSON record."),
          new SectionField(
              "non-json",
              "reject \\| raw",
              "`reject`",
              "With `payload: json`, what to do with a payload that is not a JSON object."),
          new SectionField(
              "auto-create",
              "boolean",
              "`true`",
              "Create the stream when it is missing (else such messages fail and are not acked)."),
          new SectionField(
              "shards", "integer", "`1`", "Shard count of a stream the rule creates (1..1024)."),
          new SectionField(
              "position",
              "integer",
              "`" + MappingRule.DEFAULT_POSITION + "`",
              "Rules are tried in ascending position (0.."
                  + MappingRule.MAX_POSITION
                  + "); at equal positions config rules go first, in file order."));

  public static final List<SectionField> BRIDGE_FIELDS =
      List.of(
          new SectionField("name", "name", "(required)", "The bridge's unique name."),
          new SectionField("host", "host", "(required)", "The upstream broker's host."),
          new SectionField("port", "port", "`1883`, `8883` with TLS", "The broker's port."),
          new SectionField(
              "tls",
              "boolean or mapping",
              "`false`",
              "`true` for TLS with the JVM's CAs, or a mapping with `ca-file` (PEM),"
                  + " `key-store` (PKCS#12 client certificate) and `key-store-password`."),
          new SectionField("username", "text", "none", "User name to connect with."),
          new SectionField("password", "text", "none", "Password to connect with."),
          new SectionField(
              "password-file",
              "path",
              "none",
              "File holding the password (a trailing newline is ignored); instead of `password`."),
          new SectionField(
              "mqtt-version", "3.1.1 \\| 5", "`5`", "MQTT version spoken to the broker."),
          new SectionField(
              "client-id",
              "text",
              "`inlet-<node-id>-<name>`",
              "Client id; the broker keeps the persistent session under it, so keep it fixed."),
          new SectionField(
              "topics",
              "list of topic filters",
              "(required)",
              "Filters to subscribe to at QoS 1; `$share/GROUP/filter` for a shared"
                  + " subscription."),
          new SectionField(
              "shared-group",
              "name",
              "none",
              "Subscribe to every topic as `$share/<group>/<topic>`, so several Inlet nodes split"
                  + " the load."),
          new SectionField(
              "session-expiry",
              "duration",
              "`7d`",
              "MQTT 5: how long the broker keeps the session and queues messages while Inlet is"
                  + " away."),
          new SectionField("keep-alive", "duration", "`60s`", "MQTT keep-alive."),
          new SectionField(
              "reconnect-delay-min",
              "duration",
              "`1s`",
              "First delay before reconnecting; doubles after each failure."),
          new SectionField(
              "reconnect-delay-max", "duration", "`2m`", "Longest delay between attempts."));

  private MqttRoutingConfigLoader() {}

  /**
   * @param configFile the YAML file, or null for none
   * @throws ConfigException for an unreadable file or an invalid entry, naming it
   */
  public static MqttRoutingConfig load(Path configFile) {
    if (configFile == null) {
      return MqttRoutingConfig.DEFAULTS;
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
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "config file " + configFile + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return MqttRoutingConfig.DEFAULTS;
    }
    return parse(root, configFile.toAbsolutePath().getParent());
  }

  /**
   * @param baseDir where relative paths (password-file, tls files) are resolved
   */
  static MqttRoutingConfig parse(JsonNode root, Path baseDir) {
    Optional<List<MappingRule>> rules = Optional.empty();
    if (root.has("rules")) {
      rules = Optional.of(rules(entries(root.get("rules"), "rules")));
    }
    List<BridgeSpec> bridges = List.of();
    if (root.has("bridges")) {
      bridges = bridges(entries(root.get("bridges"), "bridges"), baseDir);
    }
    return new MqttRoutingConfig(rules, bridges);
  }

  private static List<JsonNode> entries(JsonNode section, String name) {
    if (section == null || section.isNull()) {
      return List.of();
    }
    if (!section.isArray()) {
      throw new ConfigException(
          name + " must be a list of mappings (each entry starting with '- '), found: " + section);
    }
    List<JsonNode> entries = new ArrayList<>();
    section.forEach(entries::add);
    return entries;
  }

  private static List<MappingRule> rules(List<JsonNode> entries) {
    List<MappingRule> rules = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = new Entry("rules", i, entries.get(i), RULE_FIELDS);
      try {
        rules.add(
            MappingRule.builder(entry.text("name")).topic(entry.text("topic")).stream(
                    entry.text("stream"))
                .key(entry.optionalText("key").orElse(KeyTemplate.DEFAULT))
                .payload(PayloadMode.parse(entry.optionalText("payload").orElse("raw")))
                .nonJson(NonJsonPolicy.parse(entry.optionalText("non-json").orElse("reject")))
                .autoCreateStream(entry.bool("auto-create", true))
                .shards(entry.integer("shards", 1))
                .position(entry.integer("position", MappingRule.DEFAULT_POSITION))
                .build());
      } catch (InvalidRuleException e) {
        throw entry.error(e.field(), e.getMessage());
      }
    }
    return rules;
  }

  private static List<BridgeSpec> bridges(List<JsonNode> entries, Path baseDir) {
    List<BridgeSpec> bridges = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = new Entry("bridges", i, entries.get(i), BRIDGE_FIELDS);
      try {
        BridgeSpec.Builder builder =
            BridgeSpec.builder(entry.text("name"))
                .host(entry.text("host"))
                .protocol(MqttProtocol.parse(entry.optionalText("mqtt-version").orElse("5")))
                .clientId(entry.optionalText("client-id").orElse(null))
                .topics(entry.textList("topics"))
                .sharedGroup(entry.optionalText("shared-group").orElse(null))
                .credentials(entry.optionalText("username").orElse(null), password(entry, baseDir))
                .sessionExpiry(entry.duration("session-expiry", BridgeSpec.DEFAULT_SESSION_EXPIRY))
                .keepAlive(entry.duration("keep-alive", BridgeSpec.DEFAULT_KEEP_ALIVE))
                .reconnectDelays(
                    entry.duration("reconnect-delay-min", BridgeSpec.DEFAULT_RECONNECT_MIN),
                    entry.duration("reconnect-delay-max", BridgeSpec.DEFAULT_RECONNECT_MAX));
        if (entry.has("port")) {
          builder.port(entry.integer("port", 0));
        }
        TlsSettings tls = tls(entry, baseDir);
        if (tls != null) {
          builder.tls(tls);
        }
        bridges.add(builder.build());
      } catch (InvalidBridgeException e) {
        throw entry.error(e.field(), e.getMessage());
      }
    }
    return bridges;
  }

  private static String password(Entry entry, Path baseDir) {
    Optional<String> password = entry.optionalText("password");
    Optional<String> file = entry.optionalText("password-file");
    if (password.isPresent() && file.isPresent()) {
      throw entry.error("password-file", "set password or password-file, not both");
    }
    if (file.isEmpty()) {
      return password.orElse(null);
    }
    Path path = baseDir == null ? Path.of(file.get()) : baseDir.resolve(file.get());
    try {
      String text = Files.readString(path);
      return text.endsWith("\r\n")
          ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw entry.error("password-file", "cannot read " + path + ": " + e.getMessage());
    }
  }

  private static TlsSettings tls(Entry entry, Path baseDir) {
    JsonNode node = entry.node.get("tls");
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isBoolean()
        || (node.isTextual() && Set.of("true", "false").contains(node.asText().trim()))) {
      return node.asBoolean() || node.asText().trim().equals("true") ? TlsSettings.DEFAULT : null;
    }
    if (!node.isObject()) {
      throw entry.error(
          "tls", "tls must be true, false or a mapping of ca-file, key-store, key-store-password");
    }
    Set<String> known = Set.of("ca-file", "key-store", "key-store-password");
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!known.contains(field.getKey())) {
        throw entry.error(
            "tls", "unknown key tls." + field.getKey() + "; known: " + String.join(", ", known));
      }
    }
    Path ca = file(node, "ca-file", baseDir, entry);
    Path keyStore = file(node, "key-store", baseDir, entry);
    String password = node.has("key-store-password") ? node.get("key-store-password").asText() : "";
    return new TlsSettings(ca, keyStore, password);
  }

  private static Path file(JsonNode tls, String key, Path baseDir, Entry entry) {
    if (!tls.has(key)) {
      return null;
    }
    Path path =
        baseDir == null ? Path.of(tls.get(key).asText()) : baseDir.resolve(tls.get(key).asText());
    if (!Files.isReadable(path)) {
      throw entry.error("tls", "tls." + key + " " + path + " is not a readable file");
    }
    return path;
  }

  /** The generated reference of both sections, as markdown tables (for docs/mqtt.md). */
  public static String markdown() {
    return "#### `rules:` entries\n\n"
        + table(RULE_FIELDS)
        + "\n#### `bridges:` entries\n\n"
        + table(BRIDGE_FIELDS);
  }

  private static String table(List<SectionField> fields) {
    StringBuilder out =
        new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
    for (SectionField f : fields) {
      out.append("| `")
          .append(f.key())
          .append("` | ")
          .append(f.type())
          .append(" | ")
          .append(f.defaultText())
          .append(" | ")
          .append(f.description())
          .append(" |\n");
    }
    return out.toString();
  }

  /** One entry of a section, with errors that say which entry and key. */
  private static final class Entry {
    private final String where;
    private final JsonNode node;

    Entry(String section, int index, JsonNode node, List<SectionField> fields) {
      this.node = node;
      String name = node != null && node.has("name") ? node.get("name").asText() : null;
      this.where = section + "[" + index + "]" + (name == null ? "" : " (" + name + ")");
      if (node == null || !node.isObject()) {
        throw new ConfigException(where + " must be a mapping of keys to values, found: " + node);
      }
      Set<String> known =
          fields.stream()
              .map(SectionField::key)
              .collect(Collectors.toCollection(LinkedHashSet::new));
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!known.contains(field.getKey())) {
          throw new ConfigException(
              where + ": unknown key " + field.getKey() + "; known: " + String.join(", ", known));
        }
      }
    }

    ConfigException error(String key, String message) {
      return new ConfigException(where + ": " + key + ": " + message);
    }

    boolean has(String key) {
      return node.has(key) && !node.get(key).isNull();
    }

    String text(String key) {
      return optionalText(key).orElse(null);
    }

    Optional<String> optionalText(String key) {
      if (!has(key)) {
        return Optional.empty();
      }
      JsonNode value = node.get(key);
      if (!value.isValueNode()) {
        throw error(key, key + " must be a single value, found: " + value);
      }
      return Optional.of(value.asText());
    }

    List<String> textList(String key) {
      if (!has(key)) {
        return List.of();
      }
      JsonNode value = node.get(key);
      List<String> items = new ArrayList<>();
      if (value.isArray()) {
        for (JsonNode item : value) {
          if (!item.isValueNode()) {
            throw error(key, key + " must be a list of text values, found: " + value);
          }
          items.add(item.asText());
        }
      } else if (value.isValueNode()) {
        items.add(value.asText());
      } else {
        throw error(key, key + " must be a list, found: " + value);
      }
      return items;
    }

    boolean bool(String key, boolean absent) {
      return optionalText(key).map(text -> parse(key, text, ValueParsers.bool())).orElse(absent);
    }

    int integer(String key, int absent) {
      return optionalText(key)
          .map(
              text -> parse(key, text, ValueParsers.intRange(Integer.MIN_VALUE, Integer.MAX_VALUE)))
          .orElse(absent);
    }

    Duration duration(String key, Duration absent) {
      return optionalText(key)
          .map(text -> parse(key, text, ValueParsers.duration(Duration.ZERO)))
          .orElse(absent);
    }

    private <T> T parse(String key, String text, java.util.function.Function<String, T> parser) {
      try {
        return parser.apply(text.trim());
      } catch (IllegalArgumentException e) {
        throw error(key, key + " " + e.getMessage() + ", found: " + text);
      }
    }
  }
}
