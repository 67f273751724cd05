package io.inlet.cdc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
  private static final ConnectorSpec SQLSERVER =
      ConnectorSpec.of(ConnectorType.SOURCE, Target.SQLSERVER);
  private static final ConnectorSpec PG_SINK =
      ConnectorSpec.of(ConnectorType.SINK, Target.POSTGRESQL);

  private static Map<String, String> base() {
    return Map.of(
        "stream",
        "s",
        "host",
        "db",
        "user",
        "sa",
        "password",
        "p",
        "database",
        "shop",
        "table",
        "dbo.t");
  }

  @Test
  void defaults_fill_in_and_other_source_keys_pass_through() {
    Map<String, String> given = new java.util.HashMap<>(base());
    given.put("column.exclude.list", "dbo.t.secret");
    ConnectorConfig config = ConfigValidator.validate(SQLSERVER, given);
    assertThat(config.get("port")).isEqualTo("1433");
    assertThat(config.get("snapshot.mode")).isEqualTo("initial");
    assertThat(config.passThrough()).containsEntry("column.exclude.list", "dbo.t.secret");
  }

  @Test
  void each_bad_value_is_refused_naming_the_key() {
    assertRefused(SQLSERVER, "port", "70000", "\"port\" must be an integer in 1..65535");
    assertRefused(SQLSERVER, "snapshot.mode", "sometimes", "\"snapshot.mode\" must be one of");
    assertRefused(
        SQLSERVER,
        "tombstones.on.delete",
        "maybe",
        "\"tombstones.on.delete\" must be true or false");
    assertRefused(PG_SINK, "batch.size", "0", "\"batch.size\"");
    assertRefused(PG_SINK, "colour", "red", "\"colour\" is unknown");
    Map<String, String> missing = new java.util.HashMap<>(base());
    missing.remove("host");
    assertThatThrownBy(() -> ConfigValidator.validate(SQLSERVER, missing))
        .hasMessageContaining("\"host\" is missing");
  }

  @Test
  void the_config_must_be_a_json_object_of_scalars() {
    assertThat(ConfigValidator.parseJson("{\"port\": 5432, \"x\": true}"))
        .containsEntry("port", "5432")
        .containsEntry("x", "true");
    assertThatThrownBy(() -> ConfigValidator.parseJson("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> ConfigValidator.parseJson("{\"a\": {}}"))
        .hasMessageContaining("\"a\"");
  }

  @Test
  void the_spec_lists_every_key_with_default_and_meaning() {
    String schema = SQLSERVER.toJsonSchema();
    for (ConfigKey key : SQLSERVER.keys()) {
      assertThat(schema).contains("\"" + key.name() + "\"");
    }
    assertThat(schema).contains("\"default\" : 1433").contains("\"additionalProperties\" : true");
    assertThat(PG_SINK.toJsonSchema())
        .contains("task.error.stream")
        .contains("\"additionalProperties\" : false");
  }

  @Test
  void types_and_targets_are_checked() {
    assertThat(ConnectorType.parse("Sink")).isEqualTo(ConnectorType.SINK);
    assertThatThrownBy(() -> Target.parse(ConnectorType.SINK, "sqlserver"))
        .isInstanceOfSatisfying(
            InletException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.ConnectorInvalidType))
        .hasMessageContaining("mysql, mariadb, postgresql");
  }

  private static void assertRefused(ConnectorSpec spec, String key, String value, String message) {
    Map<String, String> given = new java.util.HashMap<>(base());
    if (spec == PG_SINK) {
      given.put("table", "t");
    }
    given.put(key, value);
    assertThatThrownBy(() -> ConfigValidator.validate(spec, given))
        .isInstanceOfSatisfying(
            InletException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.ConnectorCheckFailed))
        .hasMessageContaining(message);
  }
}
