package io.inlet.bridge.rules;

import java.util.Locale;

/** Where a rule comes from, which decides whether it can be deleted at runtime. */
public enum RuleSource {
  /** The {@code rules:} section of the config file; change it there. */
  CONFIG,
  /** Added through the admin API or {@code inlet rule add}; persisted in the store. */
  RUNTIME,
  /**
   * The catch-all rule present when the config file has no {@code rules:} section; an empty section
   * ({@code rules: []}) removes it.
   */
  BUILT_IN;

  public String displayName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
