package io.inlet.bridge.rules;

import io.inlet.api.error.StoreUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-written {@link RuleRepository} that keeps encoded rules in memory, as the store would. */
final class MemoryRuleRepository implements RuleRepository {
  final Map<String, byte[]> saved = new LinkedHashMap<>();
  volatile boolean failing;

  @Override
  public synchronized List<RuleEntry> load() {
    if (failing) {
      throw new StoreUnavailableException("metadata unavailable");
    }
    List<RuleEntry> entries = new ArrayList<>();
    saved.values().forEach(v -> entries.add(RuleCodec.decode(v)));
    return entries;
  }

  @Override
  public synchronized void save(RuleEntry entry) {
    if (failing) {
      throw new StoreUnavailableException("disk full");
    }
    saved.put(entry.rule().name(), RuleCodec.encode(entry));
  }

  @Override
  public synchronized void delete(String name) {
    if (failing) {
      throw new StoreUnavailableException("disk full");
    }
    saved.remove(name);
  }
}
