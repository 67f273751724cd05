package io.inlet.bridge.config;

import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.client.InvalidBridgeException;
import io.inlet.bridge.client.MqttProtocol;
import io.inlet.bridge.client.UpstreamTls;
import io.inlet.bridge.rules.InvalidRuleException;
import io.inlet.bridge.rules.KeyTemplate;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.NonJsonPolicy;
import io.inlet.bridge.rules.PayloadMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema and codec of mapping rules and bridges, defined once: the {@code rules:} and {@code
 * bridges:} sections of the config file, runtime rules as the rule store keeps them ({@link
 * io.inlet.bridge.rules.RuleCodec}), and the generated reference in {@code docs/mqtt.md} all use
 * the keys, defaults and checks below.
 *
 * <p>Input is the parsed file as plain values (maps, lists, strings, numbers, booleans), so any
 * reader (YAML, JSON, a protobuf {@code Struct}) can feed it.
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
public final class RoutingConfigCodec {
  /** The top-level keys of the config file this codec owns. */
  public static final Set<String> SECTIONS = Set.of("rules", "bridges");

  public static final List<ConfigField> RULE_FIELDS =
      List.of(
          new ConfigField("name", "name", "(required)", "The rule's unique name."),
          new ConfigField(
              "topic",
              "topic filter",
              "(required)",
              "MQTT topic filter the rule matches; `+` is one level, `#` (last) any number."),
          new ConfigField("stream", "name", "(required)", "Stream the records go to."),
          new ConfigField(
              "key",
              "template",
              "`" + KeyTemplate.DEFAULT + "`",
              "Record key: text with `${clientid}`, `${username}`, `${topic}`, `${topic.N}`"
                  + " (N-th level, from 1)."),
          new ConfigField(
              "payload",
              "raw \\| json",
              "`" + PayloadMode.RAW.configName() + "`",
              "`raw` stores the bytes; `json` stores a JSON object payload as a JSON record."),
          new ConfigField(
              "non-json",
              "reject \\| raw",
              "`" + NonJsonPolicy.REJECT.configName() + "`",
              "With `payload: json`, what to do with a payload that is not a JSON object."),
          new ConfigField(
              "auto-create",
              "boolean",
              "`true`",
              "Create the stream when it is missing (else such messages fail and are not acked)."),
          new ConfigField(
              "shards",
              "integer",
              "`1`",
              "Shard count of a stream the rule creates (1.." + MappingRule.MAX_SHARDS + ")."),
          new ConfigField(
              "position",
              "integer",
              "`" + MappingRule.DEFAULT_POSITION + "`",
              "Rules are tried in ascending position (0.."
                  + MappingRule.MAX_POSITION
                  + "); at equal positions config rules go first, in file order."));

  public static final List<ConfigField> BRIDGE_FIELDS =
      List.of(
          new ConfigField("name", "name", "(required)", "The bridge's unique name."),
          new ConfigField("host", "host", "(required)", "The upstream broker's host."),
          new ConfigField("port", "port", "`1883`, `8883` with TLS", "The broker's port."),
          new ConfigField(
              "tls",
              "boolean or mapping",
              "`false`",
              "`true` for TLS with the JVM's CAs, or a mapping with `ca-file` (PEM),"
                  + " `key-store` (PKCS#12 client certificate) and `key-store-password`."),
          new ConfigField("username", "text", "none", "User name to connect with."),
          new ConfigField("password", "text", "none", "Password to connect with."),
          new ConfigField(
              "password-file",
              "path",
              "none",
              "File holding the password (a trailing newline is ignored); instead of `password`."),
          new ConfigField(
              "mqtt-version", "3.1.1 \\| 5", "`5`", "MQTT version spoken to the broker."),
          new ConfigField(
              "client-id",
              "text",
              "`inlet-<node-id>-<name>`",
              "Client id; the broker keeps the persistent session under it, so keep it fixed."),
          new ConfigField(
              "topics",
              "list of topic filters",
              "(required)",
              "Filters to subscribe to at QoS 1; `$share/GROUP/filter` for a shared"
                  + " subscription."),
          new ConfigField(
              "shared-group",
              "name",
              "none",
              "Subscribe to every topic as `$share/<group>/<topic>`, so several Inlet nodes split"
                  + " the load."),
          new ConfigField(
              "session-expiry",
              "duration",
              "`7d`",
              "MQTT 5: how long the broker keeps the session and queues messages while Inlet is"
                  + " away."),
          new ConfigField("keep-alive", "duration", "`60s`", "MQTT keep-alive."),
          new ConfigField(
              "reconnect-delay-min",
              "duration",
              "`1s`",
              "First delay before reconnecting; doubles after each failure."),
          new ConfigField(
              "reconnect-delay-max", "duration", "`2m`", "Longest delay between attempts."));

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private RoutingConfigCodec() {}

  /**
   * Reads both sections from the parsed config file.
   *
   * @param root the file's top-level mapping (other keys are ignored)
   * @param baseDir where relative paths (password-file, tls files) are resolved, or null
   * @throws InvalidRoutingConfigException naming the entry and the key
   */
  public static RoutingConfig parse(Map<String, ?> root, Path baseDir) {
    Optional<List<MappingRule>> rules = Optional.empty();
    if (root.containsKey("rules")) {
      List<Entry> entries = entries(root.get("rules"), "rules", RULE_FIELDS);
      List<MappingRule> parsed = new ArrayList<>();
      for (Entry entry : entries) {
        try {
          parsed.add(rule(entry));
        } catch (InvalidRuleException e) {
          throw entry.error(e.field(), e.getMessage());
        }
      }
      rules = Optional.of(parsed);
    }
    List<BridgeSpec> bridges = new ArrayList<>();
    if (root.containsKey("bridges")) {
      for (Entry entry : entries(root.get("bridges"), "bridges", BRIDGE_FIELDS)) {
        try {
          bridges.add(bridge(entry, baseDir));
        } catch (InvalidBridgeException e) {
          throw entry.error(e.field(), e.getMessage());
        }
      }
    }
    return new RoutingConfig(rules, bridges);
  }

  /**
   * A rule from its fields as {@link #ruleFields} gives them; unknown fields are ignored and
   * missing ones take their defaults (the rule store's compatibility promise).
   *
   * @throws InvalidRuleException naming the first bad field
   */
  public static MappingRule rule(Map<String, ?> fields) {
    return rule(new Entry("rule", fields, null));
  }

  /** A rule's fields under their config-file names, every one present. */
  public static Map<String, Object> ruleFields(MappingRule rule) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", rule.name());
    f.put("topic", rule.topicFilter().toString());
    f.put("stream", rule.stream());
    f.put("key", rule.keyTemplate().toString());
    f.put("payload", rule.payloadMode().configName());
    f.put("non-json", rule.nonJson().configName());
    f.put("auto-create", rule.autoCreateStream());
    f.put("shards", rule.shardCount());
    f.put("position", rule.position());
    return f;
  }

  private static MappingRule rule(Entry entry) {
    // absent keys keep the builder's defaults, which RULE_FIELDS documents
    MappingRule.Builder b = MappingRule.builder(entry.text("name"));
    b.topic(entry.text("topic")).stream(entry.text("stream"));
    if (entry.has("key")) {
      b.key(entry.text("key"));
    }
    if (entry.has("payload")) {
      b.payload(parse("payload", () -> PayloadMode.parse(entry.text("payload"))));
    }
    if (entry.has("non-json")) {
      b.nonJson(parse("non-json", () -> NonJsonPolicy.parse(entry.text("non-json"))));
    }
    if (entry.has("auto-create")) {
      b.autoCreateStream(entry.bool("auto-create", InvalidRuleException::new));
    }
    if (entry.has("shards")) {
      b.shards(entry.integer("shards", InvalidRuleException::new));
    }
    if (entry.has("position")) {
      b.position(entry.integer("position", InvalidRuleException::new));
    }
    return b.build();
  }

  private static <T> T parse(String key, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidRuleException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidRuleException(key, e.getMessage());
    }
  }

  private static BridgeSpec bridge(Entry entry, Path baseDir) {
    BridgeSpec.Builder builder =
        BridgeSpec.builder(entry.text("name"))
            .host(entry.text("host"))
            .clientId(entry.text("client-id"))
            .topics(entry.textList("topics"))
            .sharedGroup(entry.text("shared-group"))
            .credentials(entry.text("username"), password(entry, baseDir));
    if (entry.has("mqtt-version")) {
      builder.protocol(MqttProtocol.parse(entry.text("mqtt-version")));
    }
    if (entry.has("session-expiry")) {
      builder.sessionExpiry(entry.duration("session-expiry"));
    }
    if (entry.has("keep-alive")) {
      builder.keepAlive(entry.duration("keep-alive"));
    }
    builder.reconnectDelays(
        entry.has("reconnect-delay-min")
            ? entry.duration("reconnect-delay-min")
            : BridgeSpec.DEFAULT_RECONNECT_MIN,
        entry.has("reconnect-delay-max")
            ? entry.duration("reconnect-delay-max")
            : BridgeSpec.DEFAULT_RECONNECT_MAX);
    if (entry.has("port")) {
      builder.port(entry.integer("port", InvalidBridgeException::new));
    }
    UpstreamTls tls = tls(entry, baseDir);
    if (tls != null) {
      builder.tls(tls);
    }
    return builder.build();
  }

  private static String password(Entry entry, Path baseDir) {
    String password = entry.text("password");
    String file = entry.text("password-file");
    if (password != null && file != null) {
      throw entry.error("password-file", "set password or password-file, not both");
    }
    if (file == null) {
      return password;
    }
    Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
    try {
      String text = Files.readString(path);
      return text.endsWith("\r\n")
          ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw entry.error("password-file", "cannot read " + path + ": " + e.getMessage());
    }
  }

  private static UpstreamTls tls(Entry entry, Path baseDir) {
    Object node = entry.fields.get("tls");
    if (node == null) {
      return null;
    }
    if (node instanceof Boolean
        || (node instanceof String s && Set.of("true", "false").contains(s.trim()))) {
      return String.valueOf(node).trim().equals("true") ? UpstreamTls.DEFAULT : null;
    }
    if (!(node instanceof Map<?, ?> tls)) {
      throw entry.error(
          "tls", "tls must be true, false or a mapping of ca-file, key-store, key-store-password");
    }
    Set<String> known = Set.of("ca-file", "key-store", "key-store-password");
    for (Object key : tls.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw entry.error("tls", "unknown key tls." + key + "; known: " + String.join(", ", known));
      }
    }
    Path ca = file(tls, "ca-file", baseDir, entry);
    Path keyStore = file(tls, "key-store", baseDir, entry);
    Object password = tls.get("key-store-password");
    return new UpstreamTls(ca, keyStore, password == null ? "" : String.valueOf(password));
  }

  private static Path file(Map<?, ?> tls, String key, Path baseDir, Entry entry) {
    Object value = tls.get(key);
    if (value == null) {
      return null;
    }
    String text = String.valueOf(value);
    Path path = baseDir == null ? Path.of(text) : baseDir.resolve(text);
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

  private static String table(List<ConfigField> fields) {
    StringBuilder out =
        new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
    for (ConfigField f : fields) {
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

  private static List<Entry> entries(Object section, String name, List<ConfigField> fields) {
    if (section == null) {
      return List.of();
    }
    if (!(section instanceof List<?> list)) {
      throw new InvalidRoutingConfigException(
          name + " must be a list of mappings (each entry starting with '- '), found: " + section);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object node = list.get(i);
      String where = name + "[" + i + "]";
      if (!(node instanceof Map<?, ?> map)) {
        throw new InvalidRoutingConfigException(
            where + " must be a mapping of keys to values, found: " + node);
      }
      Entry entry = new Entry(where, map, fields);
      entries.add(entry);
    }
    return entries;
  }

  /** What a value error becomes: a rule or a bridge exception naming the key. */
  private interface FieldError {
    RuntimeException of(String key, String message);
  }

  /** One entry of a section, with errors that say which entry and key. */
  private static final class Entry {
    private final String where;
    private final Map<?, ?> fields;

    /**
     * @param known the keys allowed, or null to ignore unknown keys
     */
    Entry(String where, Map<?, ?> fields, List<ConfigField> known) {
      this.fields = fields;
      Object name = fields.get("name");
      this.where = where + (name == null ? "" : " (" + name + ")");
      if (known != null) {
        List<String> keys = known.stream().map(ConfigField::key).toList();
        for (Object key : fields.keySet()) {
          if (!keys.contains(String.valueOf(key))) {
            throw new InvalidRoutingConfigException(
                this.where + ": unknown key " + key + "; known: " + String.join(", ", keys));
          }
        }
      }
    }

    InvalidRoutingConfigException error(String key, String message) {
      return new InvalidRoutingConfigException(where + ": " + key + ": " + message);
    }

    boolean has(String key) {
      return fields.get(key) != null;
    }

    /** The value as text, or null when absent. */
    String text(String key) {
      Object value = fields.get(key);
      if (value == null) {
        return null;
      }
      if (value instanceof Map || value instanceof List) {
        throw error(key, key + " must be a single value, found: " + value);
      }
      return String.valueOf(value);
    }

    List<String> textList(String key) {
      Object value = fields.get(key);
      if (value == null) {
        return List.of();
      }
      if (value instanceof Map) {
        throw error(key, key + " must be a list, found: " + value);
      }
      if (!(value instanceof List<?> list)) {
        return List.of(String.valueOf(value));
      }
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw error(key, key + " must be a list of text values, found: " + value);
        }
        items.add(String.valueOf(item));
      }
      return items;
    }

    boolean bool(String key, FieldError error) {
      Object value = fields.get(key);
      if (value instanceof Boolean b) {
        return b;
      }
      String text = text(key).trim();
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw error.of(key, key + " must be true or false, found: " + text);
      };
    }

    int integer(String key, FieldError error) {
      Object value = fields.get(key);
      if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        double d = n.doubleValue();
        if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
          return (int) d;
        }
      }
      String text = text(key).trim();
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw error.of(
            key,
            key + " must be " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE + ", found: " + text);
      }
    }

    Duration duration(String key) {
      String text = text(key).trim();
      Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw error(
            key, key + " must be a duration such as 500ms, 60s or 5m, at least 0s, found: " + text);
      }
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw error(
            key, key + " must be a duration such as 500ms, 60s or 5m, at least 0s, found: " + text);
      }
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
  }
}
