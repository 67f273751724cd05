package io.inlet.bridge.rules;

import java.time.Instant;

/**
 * A rule in a {@link RuleSet}: the rule, where it comes from, and its tie-breaker among rules of
 * the same position and source (file order for config rules, the order they were added for runtime
 * rules).
 *
 * @param createdAt when a runtime rule was added; null for config and built-in rules
 */
public record RuleEntry(MappingRule rule, RuleSource source, long sequence, Instant createdAt) {

  String name() {
    return rule.name();
  }
}
