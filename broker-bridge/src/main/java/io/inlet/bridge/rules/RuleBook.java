package io.inlet.bridge.rules;

import io.inlet.api.error.StoreUnavailableException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's mapping rules: the config file's (fixed while the node runs) and the runtime ones
 * (added and deleted through the admin API, persisted in a {@link RuleRepository}). Every change
 * publishes a new {@link RuleSet}, which {@link #current()} returns; ingestion reads it without
 * locking.
 *
 * <p>With no {@code rules:} section in the config file, the {@linkplain #builtInDefault() built-in
 * catch-all rule} stands in for the config rules, so a fresh node stores every publish.
 *
 * <p>Thread-safe. Changes are serialized and durable before they take effect.
 */
public final class RuleBook {
  private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

  /** Name of the built-in catch-all rule. */
  public static final String DEFAULT_RULE_NAME = "default";

  /** Stream of the built-in catch-all rule. */
  public static final String DEFAULT_STREAM = "mqtt";

  private final List<RuleEntry> fixed;
  private final RuleRepository repository;
  private final Clock clock;
  private final List<RuleEntry> runtime = new ArrayList<>();
  private long nextSequence;
  private volatile RuleSet current;

  private RuleBook(List<RuleEntry> fixed, RuleRepository repository, Clock clock) {
    this.fixed = List.copyOf(fixed);
    this.repository = repository;
    this.clock = clock;
  }

  /**
   * Opens the book: the config rules, then the runtime rules saved in {@code repository}. A saved
   * rule whose name a config rule now takes is left out (and kept in the repository) with a
   * warning.
   *
   * @param configRules the config file's rules in file order, or empty for none; absent when the
   *     file has no {@code rules:} section, which means the built-in catch-all rule
   * @throws InvalidRuleException when two config rules share a name
   */
  public static RuleBook open(
      Optional<List<MappingRule>> configRules, RuleRepository repository, Clock clock) {
    RuleBook book = unread(configRules, repository, clock);
    book.load();
    return book;
  }

  /**
   * A book whose runtime rules are not read yet, for a repository that may not answer at start-up
   * (a cluster's shared metadata without a majority): until the first {@link #reload()} succeeds,
   * {@link #current()} and every change fail with {@link StoreUnavailableException}, so no message
   * is routed by the config rules alone while a runtime rule that would take it is unknown.
   *
   * @throws InvalidRuleException when two config rules share a name
   */
  public static RuleBook unread(
      Optional<List<MappingRule>> configRules, RuleRepository repository, Clock clock) {
    List<RuleEntry> fixed = new ArrayList<>();
    if (configRules.isEmpty()) {
      fixed.add(new RuleEntry(builtInDefault(), RuleSource.BUILT_IN, 0, null));
    } else {
      Set<String> names = new HashSet<>();
      long sequence = 0;
      for (MappingRule rule : configRules.get()) {
        if (!names.add(rule.name())) {
          throw new InvalidRuleException(
              "name", "rule \"" + rule.name() + "\" appears twice in the config file");
        }
        fixed.add(new RuleEntry(rule, RuleSource.CONFIG, sequence++, null));
      }
    }
    return new RuleBook(fixed, repository, clock);
  }

  /** The catch-all rule of a node without configured rules: {@code #} → stream {@code mqtt}. */
  public static MappingRule builtInDefault() {
    return MappingRule.builder(DEFAULT_RULE_NAME).topic("#").stream(DEFAULT_STREAM)
        .key(KeyTemplate.DEFAULT)
        .payload(PayloadMode.RAW)
        .autoCreateStream(true)
        .shards(1)
        .position(MappingRule.MAX_POSITION)
        .build();
  }

  /**
   * Reads the runtime rules again from the repository and puts what it holds in effect: rules
   * another node of the cluster added appear, rules it deleted go.
   *
   * @throws io.inlet.api.error.StoreUnavailableException when the repository cannot be read; the
   *     rules in effect stay as they were
   */
  public synchronized void reload() {
    List<RuleEntry> before = List.copyOf(runtime);
    try {
      runtime.clear();
      load();
    } catch (RuntimeException e) {
      runtime.clear();
      runtime.addAll(before);
      throw e;
    }
  }

  private synchronized void load() {
    Set<String> fixedNames = new HashSet<>();
    fixed.forEach(e -> fixedNames.add(e.name()));
    long maxSequence = -1;
    for (RuleEntry saved : repository.load()) {
      maxSequence = Math.max(maxSequence, saved.sequence());
      if (fixedNames.contains(saved.name())) {
        log.warn(
            "runtime rule \"{}\" is ignored: the config file now has a rule of that name;"
                + " `inlet rule delete {}` removes the saved one",
            saved.name(),
            saved.name());
        continue;
      }
      runtime.add(
          new RuleEntry(saved.rule(), RuleSource.RUNTIME, saved.sequence(), saved.createdAt()));
    }
    nextSequence = maxSequence + 1;
    publish();
  }

  /** False while the runtime rules of an {@link #unread} book have never been read. */
  public boolean isRead() {
    return current != null;
  }

  /**
   * The rules in effect now.
   *
   * @throws StoreUnavailableException while the runtime rules have never been read ({@link
   *     #unread})
   */
  public RuleSet current() {
    RuleSet rules = current;
    if (rules == null) {
      throw notRead();
    }
    return rules;
  }

  private static StoreUnavailableException notRead() {
    return new StoreUnavailableException(
        "the runtime mapping rules have not been read yet (the cluster's metadata has not"
            + " answered since this node started); nothing is routed until they are");
  }

  /**
   * Adds a runtime rule, durably, and puts it in effect.
   *
   * @return the rule as listed, and the earlier rule that matches every topic it matches (so it is
   *     never reached), if there is one
   * @throws RuleBookException EXISTS when any rule has that name
   * @throws io.inlet.api.error.StoreUnavailableException when it cannot be saved; nothing changed
   */
  public synchronized Added add(MappingRule rule) {
    RuleSet current = current();
    if (current.get(rule.name()).isPresent() || runtimeEntry(rule.name()).isPresent()) {
      throw new RuleBookException(
          RuleBookException.Reason.EXISTS, "rule \"" + rule.name() + "\" already exists");
    }
    RuleEntry entry =
        new RuleEntry(
            rule, RuleSource.RUNTIME, nextSequence, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    repository.save(entry);
    nextSequence++;
    runtime.add(entry);
    publish();
    log.info(
        "rule \"{}\" added: {} -> stream {} (position {})",
        rule.name(),
        rule.topicFilter(),
        rule.stream(),
        rule.position());
    return new Added(entry, this.current.shadowing(entry));
  }

  /** A rule just added, and the earlier rule that shadows it, if any. */
  public record Added(RuleEntry entry, Optional<RuleEntry> shadowedBy) {}

  /**
   * Deletes a runtime rule, durably.
   *
   * @throws RuleBookException NOT_FOUND when no rule has that name, NOT_RUNTIME when it comes from
   *     the config file or is built in
   * @throws io.inlet.api.error.StoreUnavailableException when it cannot be deleted; nothing changed
   */
  public synchronized void delete(String name) {
    RuleSet current = current();
    Optional<RuleEntry> saved = runtimeEntry(name);
    boolean ignoredSaved = saved.isEmpty() && savedButIgnored(name);
    if (saved.isEmpty() && !ignoredSaved) {
      Optional<RuleEntry> other = current.get(name);
      if (other.isPresent()) {
        throw new RuleBookException(
            RuleBookException.Reason.NOT_RUNTIME,
            "rule \""
                + name
                + "\" comes from "
                + (other.get().source() == RuleSource.BUILT_IN
                    ? "Inlet itself (the catch-all used when the config file has no rules:"
                        + " section); set rules: [] in the config file to remove it"
                    : "the config file; remove it there and restart"));
      }
      throw new RuleBookException(
          RuleBookException.Reason.NOT_FOUND, "rule \"" + name + "\" not found");
    }
    repository.delete(name);
    saved.ifPresent(runtime::remove);
    publish();
    log.info("rule \"{}\" deleted", name);
  }

  private boolean savedButIgnored(String name) {
    boolean fixedName = fixed.stream().anyMatch(e -> e.name().equals(name));
    return fixedName && repository.load().stream().anyMatch(e -> e.name().equals(name));
  }

  private Optional<RuleEntry> runtimeEntry(String name) {
    return runtime.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  private void publish() {
    List<RuleEntry> all = new ArrayList<>(fixed);
    all.addAll(runtime);
    current = RuleSet.of(all);
  }
}
