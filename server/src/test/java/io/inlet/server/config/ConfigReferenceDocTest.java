package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md carries the generated table; regenerate it when a setting changes. */
class ConfigReferenceDocTest {
  static final String BEGIN = "<!-- BEGIN GENERATED: inlet server --print-config-reference -->\n";
  static final String END = "<!-- END GENERATED -->";

  @Test
  void docs_table_is_the_generated_one() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(doc);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("generated section in " + doc).isNotNegative();
    assertThat(text.substring(begin + BEGIN.length(), end))
        .as(
            "docs/configuration.md is out of date: paste the output of"
                + " `inlet server --print-config-reference` between the markers")
        .isEqualTo(ConfigReference.markdown());
  }
}
