package io.inlet.bridge.rules;

import io.inlet.api.naming.ObjectNames;
import io.inlet.api.topic.InvalidTopicFilterException;
import io.inlet.api.topic.TopicFilter;
import java.util.Objects;

/**
 * A validated mapping rule: messages whose topic matches {@link #topicFilter()} become records of
 * {@link #stream()}, keyed by {@link #keyTemplate()}, their payload stored as {@link
 * #payloadMode()} says. Rules are tried in ascending {@link #position()}; see {@link RuleSet}.
 *
 * <p>Build one with {@link #builder(String)}; {@link Builder#build()} validates every setting.
 */
public record MappingRule(
    String name,
    TopicFilter topicFilter,
    String stream,
    KeyTemplate keyTemplate,
    PayloadMode payloadMode,
    NonJsonPolicy nonJson,
    boolean autoCreateStream,
    int shardCount,
    int position) {

  /** Where a rule goes when it names no position. */
  public static final int DEFAULT_POSITION = 100;

  /** The highest position; the built-in catch-all rule sits there. */
  public static final int MAX_POSITION = 1_000_000;

  /** The most shards an auto-created stream may have (the store's limit). */
  public static final int MAX_SHARDS = 1024;

  public MappingRule {
    Objects.requireNonNull(name);
    Objects.requireNonNull(topicFilter);
    Objects.requireNonNull(stream);
    Objects.requireNonNull(keyTemplate);
    Objects.requireNonNull(payloadMode);
    Objects.requireNonNull(nonJson);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder with this rule's settings, to change some. */
  public Builder toBuilder() {
    return new Builder(name)
        .topic(topicFilter.toString()).stream(stream)
            .key(keyTemplate.toString())
            .payload(payloadMode)
            .nonJson(nonJson)
            .autoCreateStream(autoCreateStream)
            .shards(shardCount)
            .position(position);
  }

  /** Collects a rule's settings as text or values; {@link #build()} validates them. */
  public static final class Builder {
    private final String name;
    private String topic;
    private String stream;
    private String key = KeyTemplate.DEFAULT;
    private PayloadMode payload = PayloadMode.RAW;
    private NonJsonPolicy nonJson = NonJsonPolicy.REJECT;
    private boolean autoCreate = true;
    private int shards = 1;
    private int position = DEFAULT_POSITION;

    private Builder(String name) {
      this.name = name;
    }

    public Builder topic(String filter) {
      this.topic = filter;
      return this;
    }

    public Builder stream(String stream) {
      this.stream = stream;
      return this;
    }

    /** The key template; null means the default, {@code ${clientid}}. */
    public Builder key(String template) {
      this.key = template == null ? KeyTemplate.DEFAULT : template;
      return this;
    }

    public Builder payload(PayloadMode mode) {
      this.payload = Objects.requireNonNull(mode);
      return this;
    }

    public Builder nonJson(NonJsonPolicy policy) {
      this.nonJson = Objects.requireNonNull(policy);
      return this;
    }

    public Builder autoCreateStream(boolean autoCreate) {
      this.autoCreate = autoCreate;
      return this;
    }

    public Builder shards(int shards) {
      this.shards = shards;
      return this;
    }

    public Builder position(int position) {
      this.position = position;
      return this;
    }

    /**
     * @throws InvalidRuleException naming the first bad setting; the message starts with the rule's
     *     name
     */
    public MappingRule build() {
      try {
        requireName("name", "rule name", name);
        TopicFilter filter = topicFilter(topic);
        requireName("stream", "stream name", stream);
        KeyTemplate template = KeyTemplate.parse(key);
        if (shards < 1 || shards > MAX_SHARDS) {
          throw new InvalidRuleException(
              "shards", "shards must be 1.." + MAX_SHARDS + ", found: " + shards);
        }
        if (position < 0 || position > MAX_POSITION) {
          throw new InvalidRuleException(
              "position", "position must be 0.." + MAX_POSITION + ", found: " + position);
        }
        return new MappingRule(
            name, filter, stream, template, payload, nonJson, autoCreate, shards, position);
      } catch (InvalidRuleException e) {
        String who = ObjectNames.problem(name) == null ? "rule \"" + name + "\": " : "";
        throw new InvalidRuleException(e.field(), who + e.getMessage());
      }
    }

    private static TopicFilter topicFilter(String topic) {
      if (topic != null && (topic.startsWith("$share/") || topic.equals("$share"))) {
        throw new InvalidRuleException(
            "topic",
            "topic filter \""
                + topic
                + "\" is invalid: a shared subscription ($share/...) is a way to subscribe, not a"
                + " topic; put it in a bridge's topics and give the rule the plain filter");
      }
      try {
        return TopicFilter.parse(topic);
      } catch (InvalidTopicFilterException e) {
        throw new InvalidRuleException("topic", e.getMessage());
      }
    }

    private static void requireName(String field, String what, String value) {
      String problem = ObjectNames.problem(value);
      if (problem != null) {
        throw new InvalidRuleException(
            field,
            what
                + " "
                + (value == null ? "(none)" : "\"" + value + "\"")
                + " is invalid: "
                + problem
                + "; use 1 to "
                + ObjectNames.MAX_LENGTH
                + " letters, digits, '_', '-' or '.', starting with a letter or digit");
      }
    }
  }
}
