package io.inlet.bridge.rules;

import java.util.Locale;

/** What a {@link PayloadMode#JSON} rule does with a payload that is not a JSON object. */
public enum NonJsonPolicy {
  /** Store nothing; the message is rejected ({@code IngestOutcome.Rejected}). */
  REJECT,
  /** Store the payload as it is, in a RAW record. */
  RAW;

  /** The name used in config files, the CLI and the admin API: {@code reject}, {@code raw}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws InvalidRuleException (field {@code non-json}) for anything but reject or raw
   */
  public static NonJsonPolicy parse(String text) {
    if (text != null) {
      for (NonJsonPolicy policy : values()) {
        if (policy.configName().equalsIgnoreCase(text.trim())) {
          return policy;
        }
      }
    }
    throw new InvalidRuleException(
        "non-json", "non-json must be reject or raw, found: " + (text == null ? "(none)" : text));
  }
}
