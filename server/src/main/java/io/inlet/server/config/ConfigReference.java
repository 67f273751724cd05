package io.inlet.server.config;

import io.inlet.api.config.Option;

/** The markdown table of every setting, generated from {@link InletOptions}. */
public final class ConfigReference {
  private ConfigReference() {}

  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| flag / config key | type | default | description |\n");
    out.append("|---|---|---|---|\n");
    for (Option<?> option : InletOptions.ALL) {
      String type =
          option.unit().isEmpty() ? option.type() : option.type() + " (" + option.unit() + ")";
      out.append("| `")
          .append(option.flag())
          .append("` / `")
          .append(option.key())
          .append("` | ")
          .append(type)
          .append(" | ")
          .append(
              option.hasDerivedDefault()
                  ? option.defaultText().replaceAll("[<>]", "")
                  : "`" + option.defaultText() + "`")
          .append(" | ")
          .append(option.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }
}
