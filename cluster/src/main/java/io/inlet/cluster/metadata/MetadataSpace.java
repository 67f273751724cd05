package io.inlet.cluster.metadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replicated state itself: namespaces of versioned keys, changed only by applying writes in log
 * order. Every voter that applies the same writes at the same indexes holds the same space.
 * Thread-safe: the Raft apply thread writes, readers take copies.
 */
final class MetadataSpace {
  /** Keys sort by their UTF-8 bytes, as the store's metadata does. */
  static final Comparator<String> KEY_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final Map<String, NavigableMap<String, MetadataEntry>> namespaces = new HashMap<>();

  /**
   * Applies {@code write} at log {@code index} if every expected version holds.
   *
   * @return the change (empty puts and deletes when nothing changed), or a conflict
   */
  synchronized Result apply(MetadataWrite write, long index) {
    NavigableMap<String, MetadataEntry> entries =
        namespaces.computeIfAbsent(write.namespace(), ns -> new TreeMap<>(KEY_ORDER));
    for (MetadataWrite.Operation op : write.operations()) {
      MetadataEntry current = entries.get(op.key());
      long actual = current == null ? MetadataWrite.ABSENT : current.version();
      if (op.expectedVersion() != MetadataWrite.ANY && op.expectedVersion() != actual) {
        dropIfEmpty(write.namespace());
        return new Result(null, new WriteOutcome.Conflict(op.key(), op.expectedVersion(), actual));
      }
    }
    Map<String, MetadataEntry> puts = new HashMap<>();
    Set<String> deletes = new HashSet<>();
    for (MetadataWrite.Operation op : write.operations()) {
      if (op instanceof MetadataWrite.Put put) {
        MetadataEntry entry = new MetadataEntry(put.value(), index);
        entries.put(put.key(), entry);
        puts.put(put.key(), entry);
      } else if (entries.remove(op.key()) != null) {
        deletes.add(op.key());
      }
    }
    dropIfEmpty(write.namespace());
    return new Result(
        new MetadataChange(write.namespace(), puts, deletes, index),
        new WriteOutcome.Applied(index));
  }

  synchronized Optional<MetadataEntry> get(String namespace, String key) {
    NavigableMap<String, MetadataEntry> entries = namespaces.get(namespace);
    return Optional.ofNullable(entries == null ? null : entries.get(key));
  }

  /** A copy of one namespace, in key order. */
  synchronized NavigableMap<String, MetadataEntry> list(String namespace) {
    NavigableMap<String, MetadataEntry> entries = namespaces.get(namespace);
    return entries == null
        ? emptyEntries()
        : Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
  }

  /** A space holding what {@code other} holds now. */
  static MetadataSpace copyOf(MetadataSpace other) {
    MetadataSpace space = new MetadataSpace();
    space.replaceWith(other.copy(), -1);
    return space;
  }

  /** A copy of every namespace (entries are immutable, so the copy is shallow). */
  synchronized Map<String, NavigableMap<String, MetadataEntry>> copy() {
    Map<String, NavigableMap<String, MetadataEntry>> copy = new TreeMap<>();
    namespaces.forEach((ns, entries) -> copy.put(ns, new TreeMap<>(entries)));
    return copy;
  }

  /**
   * Replaces the whole space (a snapshot was loaded or installed).
   *
   * @return what changed, one change per namespace touched, at {@code index}
   */
  synchronized List<MetadataChange> replaceWith(
      Map<String, NavigableMap<String, MetadataEntry>> replacement, long index) {
    List<MetadataChange> changes = new ArrayList<>();
    Set<String> names = new HashSet<>(namespaces.keySet());
    names.addAll(replacement.keySet());
    for (String ns : names) {
      Map<String, MetadataEntry> before =
          namespaces.getOrDefault(ns, Collections.emptyNavigableMap());
      Map<String, MetadataEntry> after =
          replacement.getOrDefault(ns, Collections.emptyNavigableMap());
      Map<String, MetadataEntry> puts = new HashMap<>();
      after.forEach(
          (key, entry) -> {
            if (!entry.equals(before.get(key))) {
              puts.put(key, entry);
            }
          });
      Set<String> deletes = new HashSet<>(before.keySet());
      deletes.removeAll(after.keySet());
      if (!puts.isEmpty() || !deletes.isEmpty()) {
        changes.add(new MetadataChange(ns, puts, deletes, index));
      }
    }
    namespaces.clear();
    replacement.forEach(
        (ns, entries) -> {
          if (!entries.isEmpty()) {
            TreeMap<String, MetadataEntry> copy = new TreeMap<>(KEY_ORDER);
            copy.putAll(entries);
            namespaces.put(ns, copy);
          }
        });
    return changes;
  }

  static NavigableMap<String, MetadataEntry> emptyEntries() {
    return Collections.unmodifiableNavigableMap(new TreeMap<>(KEY_ORDER));
  }

  static NavigableMap<String, MetadataEntry> singleton(String key, MetadataEntry entry) {
    TreeMap<String, MetadataEntry> one = new TreeMap<>(KEY_ORDER);
    one.put(key, entry);
    return Collections.unmodifiableNavigableMap(one);
  }

  private void dropIfEmpty(String namespace) {
    NavigableMap<String, MetadataEntry> entries = namespaces.get(namespace);
    if (entries != null && entries.isEmpty()) {
      namespaces.remove(namespace);
    }
  }

  /**
   * @param change what was applied, null on a conflict
   * @param outcome the reply to the writer
   */
  record Result(MetadataChange change, WriteOutcome outcome) {}
}
