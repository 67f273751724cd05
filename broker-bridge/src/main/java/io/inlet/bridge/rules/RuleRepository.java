package io.inlet.bridge.rules;

import java.util.List;

/**
 * Where runtime rules persist (the server binds it to the store's metadata). Calls may block on a
 * durable write; {@link RuleBook} never makes them on an event loop.
 */
public interface RuleRepository {

  /** Every saved rule, in any order. */
  List<RuleEntry> load();

  /** Saves (or replaces, by name) a runtime rule; durable when it returns. */
  void save(RuleEntry entry);

  /** Deletes a rule by name; durable when it returns. Deleting an absent rule does nothing. */
  void delete(String name);
}
