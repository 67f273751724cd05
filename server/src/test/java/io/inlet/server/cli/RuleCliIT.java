package io.inlet.server.cli;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.cli.CliRun;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inlet rule ...} and {@code inlet bridge status} as a user runs them, against a node. */
class RuleCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private InletServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server = InletServer.start(ServerConfig.forTests(dataDir));
  }

  private void restart() {
    server.close();
    start();
  }

  private String address() {
    return "127.0.0.1:" + server.grpcPort();
  }

  private CliRun ok(String... args) {
    CliRun result = run(at(address(), args));
    assertThat(result.exitCode()).as("inlet %s%n%s", String.join(" ", args), result).isZero();
    return result;
  }

  private JsonNode okJson(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    return JSON.readTree(ok(all.toArray(String[]::new)).out());
  }

  private CliRun fails(String... args) {
    CliRun result = run(at(address(), args));
    assertThat(result.exitCode()).as("inlet %s%n%s", String.join(" ", args), result).isEqualTo(1);
    return result;
  }

  private String storedIn(String topic) throws Exception {
    IngestOutcome outcome =
        server
            .ingestor()
            .ingest(
                new InboundMessage(
                    topic,
                    "x".getBytes(StandardCharsets.UTF_8),
                    1,
                    false,
                    "c",
                    null,
                    List.of(),
                    null,
                    "test"))
            .get(30, TimeUnit.SECONDS);
    return outcome instanceof IngestOutcome.Stored s ? s.stream() : outcome.toString();
  }

  @Test
  void rules_are_added_listed_and_deleted_and_persist_across_a_restart() throws Exception {
    start();
    CliRun added =
        ok(
            "rule",
            "add",
            "temps",
            "--topic",
            "sensors/+/temp",
            "--stream",
            "temperatures",
            "--key",
            "${topic.2}",
            "--payload",
            "json",
            "--non-json",
            "raw",
            "--shards",
            "2",
            "--position",
            "10");
    assertThat(added.out())
        .contains(
            "added rule temps: sensors/+/temp -> stream temperatures (key ${topic.2},"
                + " payload json, position 10)");
    assertThat(added.err()).isEmpty();
    ok("rule", "add", "fixed", "--topic", "fixed/#", "--stream", "fixed", "--no-auto-create");

    CliRun list = ok("rule", "list");
    assertThat(list.outLines().get(0))
        .startsWith("POSITION")
        .contains("NAME", "TOPIC", "STREAM", "KEY", "PAYLOAD", "AUTO-CREATE", "SOURCE");
    assertThat(list.outLines().get(1))
        .contains("10", "temps", "sensors/+/temp", "json", "yes (2 shards)", "runtime");
    assertThat(list.outLines().get(2)).contains("100", "fixed", "no", "runtime");
    assertThat(list.outLines().get(3)).contains("1000000", "default", "#", "mqtt", "built-in");
    assertThat(list.out()).contains("messages since start: 0 stored");
    assertThat(storedIn("sensors/d/temp")).isEqualTo("temperatures");

    restart();

    JsonNode rules = okJson("rule", "list");
    assertThat(rules.get("rules")).hasSize(3);
    JsonNode temps = rules.get("rules").get(0);
    assertThat(temps.get("name").asText()).isEqualTo("temps");
    assertThat(temps.get("key").asText()).isEqualTo("${topic.2}");
    assertThat(temps.get("payload").asText()).isEqualTo("json");
    assertThat(temps.get("nonJson").asText()).isEqualTo("raw");
    assertThat(temps.get("shards").asInt()).isEqualTo(2);
    assertThat(temps.get("autoCreate").asBoolean()).isTrue();
    assertThat(temps.get("source").asText()).isEqualTo("runtime");
    assertThat(temps.get("createdAt").asText()).isNotBlank();
    assertThat(rules.get("rules").get(1).get("autoCreate").asBoolean()).isFalse();
    assertThat(rules.get("counts").get("stored").asLong()).isZero();
    assertThat(storedIn("sensors/d/temp")).isEqualTo("temperatures");

    assertThat(ok("rule", "delete", "temps").out()).contains("deleted rule temps");
    restart();
    assertThat(okJson("rule", "list").get("rules"))
        .extracting(r -> r.get("name").asText())
        .containsExactly("fixed", "default");
    assertThat(storedIn("sensors/d/temp")).isEqualTo("mqtt");
  }

  @Test
  void mistakes_are_one_line_errors() {
    start();
    assertThat(fails("rule", "add", "r", "--topic", "a/#/b", "--stream", "s").err())
        .isEqualTo(
            "error: rule \"r\": topic filter \"a/#/b\" is invalid: '#' must be the last level"
                + " (INVALID_ARGUMENT)\n");
    assertThat(fails("rule", "add", "r", "--topic", "a", "--stream", "s", "--key", "${x}").err())
        .contains("unknown placeholder ${x}");
    assertThat(fails("rule", "delete", "default").err())
        .contains("rules: []", "(FAILED_PRECONDITION)");
    assertThat(fails("rule", "delete", "nope").err())
        .isEqualTo("error: rule \"nope\" not found (NOT_FOUND)\n");
    ok("rule", "add", "r", "--topic", "a", "--stream", "s");
    assertThat(fails("rule", "add", "r", "--topic", "a", "--stream", "s").err())
        .contains("already exists (ALREADY_EXISTS)");
    CliRun usage = run(at(address(), "rule", "add", "r", "--stream", "s"));
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("--topic");
  }

  @Test
  void a_rule_that_can_never_match_gets_a_warning() throws IOException {
    start();
    ok("rule", "add", "all", "--topic", "#", "--stream", "all", "--position", "5");
    CliRun shadowed = ok("rule", "add", "late", "--topic", "a/b", "--stream", "late");
    assertThat(shadowed.err())
        .startsWith("warning: rule \"late\" is never reached: rule \"all\" (position 5, topic #)");
    JsonNode json = okJson("rule", "add", "later", "--topic", "a/c", "--stream", "late");
    assertThat(json.get("warnings")).hasSize(1);
  }

  @Test
  void bridge_status_without_bridges_says_so() throws IOException {
    start();
    assertThat(ok("bridge", "status").out())
        .isEqualTo("no bridges configured (see bridges: in the config file)\n");
    assertThat(okJson("bridge", "status").get("bridges")).isEmpty();
    assertThat(fails("bridge", "status", "nope").err())
        .isEqualTo("error: bridge \"nope\" not found (NOT_FOUND)\n");
  }
}
