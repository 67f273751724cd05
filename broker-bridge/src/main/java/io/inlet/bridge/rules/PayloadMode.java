package io.inlet.bridge.rules;

import java.util.Locale;

/** How a rule stores a message's payload. */
public enum PayloadMode {
  /** The payload bytes as they are, in a RAW record. */
  RAW,
  /**
   * A JSON object payload as a JSON record (a serialized {@code google.protobuf.Struct}, as
   * HStreamDB stores JSON); any other payload as the rule's {@link NonJsonPolicy} says.
   */
  JSON;

  /** The name used in config files, the CLI and the admin API: {@code raw}, {@code json}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws InvalidRuleException (field {@code payload}) for anything but raw or json
   */
  public static PayloadMode parse(String text) {
    if (text != null) {
      for (PayloadMode mode : values()) {
        if (mode.configName().equalsIgnoreCase(text.trim())) {
          return mode;
        }
      }
    }
    throw new InvalidRuleException(
        "payload", "payload must be raw or json, found: " + (text == null ? "(none)" : text));
  }
}
