package io.inlet.bridge.rules;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.topic.TopicLevels;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rule computes a record's partition key from a message: text with placeholders {@code
 * ${clientid}}, {@code ${username}}, {@code ${topic}} and {@code ${topic.N}} (the N-th topic level,
 * 1-based), e.g. {@code site-${topic.2}}. A placeholder with no value (no username, a topic with
 * fewer levels) renders as the empty string. {@code $} not followed by {@code {} is literal text.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyTemplate {
  /** The key when a rule names none: the publishing client's id. */
  public static final String DEFAULT = "${clientid}";

  private static final String KNOWN = "${clientid}, ${username}, ${topic} or ${topic.N} (N >= 1)";

  private final String text;
  private final Part[] parts;
  private final boolean clientIdOnly;
  private final boolean usesTopicLevels;

  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  private record ClientId() implements Part {}

  private record Username() implements Part {}

  private record Topic() implements Part {}

  private record TopicLevel(int index) implements Part {}

  private KeyTemplate(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts.toArray(new Part[0]);
    this.clientIdOnly = this.parts.length == 1 && this.parts[0] instanceof ClientId;
    this.usesTopicLevels = parts.stream().anyMatch(p -> p instanceof TopicLevel);
  }

  /**
   * Parses a template.
   *
   * @throws InvalidRuleException (field {@code key}) naming an unknown placeholder or an unclosed
   *     {@code ${}
   */
  public static KeyTemplate parse(String template) {
    String text = template == null ? DEFAULT : template;
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      int close = text.indexOf('}', open + 2);
      if (close < 0) {
        throw new InvalidRuleException(
            "key", "key template \"" + text + "\" has a '${' without a closing '}'; use " + KNOWN);
      }
      if (literal.length() > 0) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      parts.add(placeholder(text, text.substring(open + 2, close)));
      i = close + 1;
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new KeyTemplate(text, parts);
  }

  private static Part placeholder(String template, String name) {
    switch (name) {
      case "clientid":
        return new ClientId();
      case "username":
        return new Username();
      case "topic":
        return new Topic();
      default:
        break;
    }
    if (name.startsWith("topic.")) {
      String index = name.substring("topic.".length());
      int n;
      try {
        n = Integer.parseInt(index);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n >= 1 && index.charAt(0) != '+') {
        return new TopicLevel(n);
      }
      throw new InvalidRuleException(
          "key",
          "key template \""
              + template
              + "\": ${"
              + name
              + "} needs a topic level number from 1 (the first level), as in ${topic.1}");
    }
    throw new InvalidRuleException(
        "key",
        "key template \"" + template + "\": unknown placeholder ${" + name + "}; use " + KNOWN);
  }

  /**
   * Whether {@link #render} reads the topic's levels ({@code ${topic.N}}); when not, callers need
   * not split the topic.
   */
  public boolean usesTopicLevels() {
    return usesTopicLevels;
  }

  /**
   * The key for a message.
   *
   * @param levels the message's topic split by {@link TopicLevels#split}
   */
  public String render(InboundMessage message, String[] levels) {
    if (clientIdOnly) {
      return nonNull(message.clientId());
    }
    StringBuilder key = new StringBuilder(32);
    for (Part part : parts) {
      if (part instanceof Literal l) {
        key.append(l.text());
      } else if (part instanceof ClientId) {
        key.append(nonNull(message.clientId()));
      } else if (part instanceof Username) {
        key.append(nonNull(message.username()));
      } else if (part instanceof Topic) {
        key.append(message.topic());
      } else if (part instanceof TopicLevel t && t.index() <= levels.length) {
        key.append(levels[t.index() - 1]);
      }
    }
    return key.toString();
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyTemplate k && k.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
