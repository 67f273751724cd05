package io.inlet.bridge.rules;

import io.inlet.api.topic.TopicFilter;
import io.inlet.api.topic.TopicLevels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules in the order they are tried; the first whose topic filter matches wins.
 *
 * <p>Order: ascending {@link MappingRule#position()}; at equal positions config-file (and built-in)
 * rules before runtime rules; then config rules in file order and runtime rules in the order they
 * were added.
 *
 * <p>Immutable (but for its cache of topic matches) and thread-safe; {@link RuleBook} publishes a
 * new one on every change.
 */
public final class RuleSet {
  /** Evaluation order. */
  public static final Comparator<RuleEntry> ORDER =
      Comparator.<RuleEntry>comparingInt(e -> e.rule().position())
          .thenComparingInt(e -> e.source() == RuleSource.RUNTIME ? 1 : 0)
          .thenComparingLong(RuleEntry::sequence);

  private static final RuleSet EMPTY = new RuleSet(List.of());

  /**
   * How many topics {@link #firstMatch(String)} remembers the match of. Past this, other topics are
   * matched every time (as before the cache): bounded memory whatever the topics.
   */
  static final int MAX_CACHED_TOPICS = 10_000;

  /** The cached match of one topic; {@code rule} is null when no rule matches. */
  private record Match(MappingRule rule) {}

  private static final Match NO_MATCH = new Match(null);

  private final List<RuleEntry> entries;
  private final MappingRule[] rules;
  private final TopicFilter[] filters;

  /** Topic to the match of {@link #firstMatch(String)}; this rule set's only, so never stale. */
  private final Map<String, Match> matches = new ConcurrentHashMap<>();

  private RuleSet(List<RuleEntry> ordered) {
    this.entries = List.copyOf(ordered);
    this.rules = new MappingRule[ordered.size()];
    this.filters = new TopicFilter[ordered.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = ordered.get(i).rule();
      filters[i] = rules[i].topicFilter();
    }
  }

  public static RuleSet empty() {
    return EMPTY;
  }

  /** The entries in evaluation order (sorted here; the input order does not matter). */
  public static RuleSet of(List<RuleEntry> entries) {
    List<RuleEntry> ordered = new ArrayList<>(entries);
    ordered.sort(ORDER);
    return new RuleSet(ordered);
  }

  /** Every rule in evaluation order. */
  public List<RuleEntry> entries() {
    return entries;
  }

  /**
   * The first rule whose filter matches, or null.
   *
   * @param topicLevels the topic split by {@link TopicLevels#split}
   */
  public MappingRule firstMatch(String[] topicLevels) {
    for (int i = 0; i < filters.length; i++) {
      if (filters[i].matches(topicLevels)) {
        return rules[i];
      }
    }
    return null;
  }

  /**
   * The first rule whose filter matches {@code topic}, or null. Remembers the answer for up to
   * {@link #MAX_CACHED_TOPICS} topics, so a device publishing on the same topic again is not split
   * and matched again (a rule change publishes a new rule set, with an empty cache).
   */
  public MappingRule firstMatch(String topic) {
    Match known = matches.get(topic);
    if (known != null) {
      return known.rule();
    }
    MappingRule rule = firstMatch(TopicLevels.split(topic));
    if (matches.size() < MAX_CACHED_TOPICS) {
      matches.putIfAbsent(topic, rule == null ? NO_MATCH : new Match(rule));
    }
    return rule;
  }

  public Optional<RuleEntry> get(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The first rule tried before {@code entry} whose filter matches every topic that {@code entry}'s
   * filter matches, so that {@code entry} never wins; empty when {@code entry} can be reached.
   */
  public Optional<RuleEntry> shadowing(RuleEntry entry) {
    for (RuleEntry earlier : entries) {
      if (earlier == entry || ORDER.compare(earlier, entry) >= 0) {
        break;
      }
      if (earlier.rule().topicFilter().covers(entry.rule().topicFilter())) {
        return Optional.of(earlier);
      }
    }
    return Optional.empty();
  }

  public int size() {
    return entries.size();
  }
}
