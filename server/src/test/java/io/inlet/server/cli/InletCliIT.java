package io.inlet.server.cli;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static io.inlet.cli.CliRun.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.api.record.PartitionKeys;
import io.inlet.cli.CliRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI in-process, as a user runs it, against a real node. */
class InletCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestNode node;
  private static String server;

  @BeforeAll
  static void startNode() throws IOException {
    node = TestNode.start();
    server = node.address();
  }

  @AfterAll
  static void stopNode() throws IOException {
    if (node != null) {
      node.close();
    }
  }

  private static CliRun ok(String... args) {
    CliRun result = run(at(server, args));
    assertThat(result.exitCode()).as("inlet %s%n%s", String.join(" ", args), result).isZero();
    return result;
  }

  private static JsonNode okJson(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    return JSON.readTree(ok(all.toArray(String[]::new)).out());
  }

  /** As the README shows it: {@code inlet --server HOST:PORT stream list}. */
  @Test
  void the_server_may_be_given_before_the_command() {
    ok("stream", "create", "cli_server_first");

    CliRun list = run("--server", server, "stream", "list", "--prefix", "cli_server_first");

    assertThat(list.exitCode()).as("%s", list).isZero();
    assertThat(list.out()).contains("cli_server_first");
  }

  @Test
  void stream_create_list_describe_delete() throws IOException {
    CliRun created =
        ok("stream", "create", "cli_lifecycle", "--shards", "3", "--backlog-seconds", "3600");
    assertThat(created.out())
        .contains("created stream cli_lifecycle (3 shards, replication factor 1, backlog 3600s)");

    CliRun list = ok("stream", "list");
    assertThat(list.outLines().get(0)).startsWith("NAME").contains("SHARDS", "BACKLOG");
    assertThat(list.out()).containsPattern("cli_lifecycle\\s+3\\s+1\\s+3600s");

    JsonNode listed = okJson("stream", "list", "--prefix", "cli_life");
    assertThat(listed.get("streams")).hasSize(1);
    JsonNode stream = listed.get("streams").get(0);
    assertThat(stream.get("name").asText()).isEqualTo("cli_lifecycle");
    assertThat(stream.get("shardCount").asInt()).isEqualTo(3);
    assertThat(stream.get("replicationFactor").asInt()).isEqualTo(1);
    assertThat(stream.get("backlogSeconds").asInt()).isEqualTo(3600);
    assertThat(stream.get("createdAt").asText()).isNotBlank();
    assertThat(okJson("stream", "list", "--prefix", "no_such_prefix").get("streams")).isEmpty();

    JsonNode described = okJson("stream", "describe", "cli_lifecycle");
    JsonNode shards = described.get("shards");
    assertThat(shards).hasSize(3);
    assertThat(shards.get(0).get("startHashKey").asText()).isEqualTo("0");
    assertThat(shards.get(2).get("endHashKey").asText())
        .isEqualTo(PartitionKeys.MAX_KEY.toString());
    assertThat(shards.get(0).get("active").asBoolean()).isTrue();
    CliRun describeText = ok("stream", "describe", "cli_lifecycle");
    assertThat(describeText.out())
        .contains("SHARD", "START KEY", "END KEY", PartitionKeys.MAX_KEY.toString());

    assertThat(ok("stream", "delete", "cli_lifecycle").out())
        .isEqualTo("deleted stream cli_lifecycle" + System.lineSeparator());
    assertThat(okJson("stream", "list").get("streams").findValuesAsText("name"))
        .doesNotContain("cli_lifecycle");
  }

  @Test
  void unknown_stream_errors_carry_the_server_message_and_code() {
    CliRun describe = run(at(server, "stream", "describe", "cli_missing"));
    assertThat(describe.exitCode()).isEqualTo(1);
    assertThat(describe.err()).startsWith("error: ").contains("cli_missing", "(NOT_FOUND)");
    assertThat(describe.out()).isEmpty();

    CliRun delete = run(at(server, "stream", "delete", "cli_missing"));
    assertThat(delete.exitCode()).isEqualTo(1);
    assertThat(delete.err()).contains("(NOT_FOUND)");
    ok("stream", "delete", "cli_missing", "--ignore-missing");

    CliRun append = run(at(server, "stream", "append", "cli_missing", "x"));
    assertThat(append.exitCode()).isEqualTo(1);
    assertThat(append.err()).contains("(NOT_FOUND)");

    CliRun read = run(at(server, "stream", "read", "cli_missing"));
    assertThat(read.exitCode()).isEqualTo(1);
    assertThat(read.err()).contains("(NOT_FOUND)");
  }

  @Test
  void creating_an_existing_stream_fails_with_already_exists() {
    ok("stream", "create", "cli_twice");
    CliRun again = run(at(server, "stream", "create", "cli_twice"));

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: ").contains("(ALREADY_EXISTS)");
  }

  @Test
  void append_prints_record_ids_and_read_prints_records() throws IOException {
    ok("stream", "create", "cli_rw", "--shards", "2");

    CliRun appended = ok("stream", "append", "cli_rw", "--key", "sensor-1", "21.5", "21.7");
    assertThat(appended.outLines()).hasSize(2).allMatch(line -> line.matches("\\d+-\\d+-\\d+"));

    JsonNode json =
        okJson(
            "stream",
            "append",
            "cli_rw",
            "--key",
            "sensor-2",
            "--json-record",
            "--compression",
            "gzip",
            "--attr",
            "mqtt.topic=t/2",
            "{\"temp\": 3, \"nested\": {\"ok\": true, \"list\": [1, null]}}");
    assertThat(json.get("stream").asText()).isEqualTo("cli_rw");
    assertThat(json.get("recordIds")).hasSize(1);
    String jsonRecordId = json.get("recordIds").get(0).asText();
    assertThat(jsonRecordId).startsWith(json.get("shardId").asText() + "-");

    CliRun fromStdin =
        runWithStdin(
            "line one\n\nline two\r\nline three\n",
            at(server, "stream", "append", "cli_rw", "--compression", "zstd"));
    assertThat(fromStdin.exitCode()).as("%s", fromStdin).isZero();
    assertThat(fromStdin.outLines()).hasSize(3);

    JsonNode read = okJson("stream", "read", "cli_rw");
    assertThat(read.get("stream").asText()).isEqualTo("cli_rw");
    JsonNode records = read.get("records");
    assertThat(records).hasSize(6);
    assertThat(records.findValuesAsText("key")).containsOnly("sensor-1", "sensor-2", "");
    List<String> payloads = new ArrayList<>();
    for (JsonNode record : records) {
      if (record.get("type").asText().equals("raw")) {
        payloads.add(record.get("payload").asText());
      }
    }
    assertThat(payloads)
        .containsExactlyInAnyOrder("21.5", "21.7", "line one", "line two", "line three");
    JsonNode jsonRecord = findRecord(records, jsonRecordId);
    assertThat(jsonRecord.get("type").asText()).isEqualTo("json");
    assertThat(jsonRecord.get("key").asText()).isEqualTo("sensor-2");
    assertThat(jsonRecord.get("attributes").get("mqtt.topic").asText()).isEqualTo("t/2");
    assertThat(jsonRecord.get("payload"))
        .isEqualTo(
            JSON.readTree("{\"temp\": 3.0, \"nested\": {\"ok\": true, \"list\": [1.0, null]}}"));

    CliRun text = ok("stream", "read", "cli_rw");
    assertThat(text.outLines()).hasSize(6);
    assertThat(text.out())
        .containsPattern("\\d+-\\d+-\\d+\\s+sensor-1\\s+21\\.5")
        .contains("{\"temp\":3.0,\"nested\":{\"ok\":true,\"list\":[1.0,null]}}");
  }

  @Test
  void read_one_shard_from_a_record_id_up_to_max() throws IOException {
    ok("stream", "create", "cli_shard", "--shards", "2");
    JsonNode ids = okJson("stream", "append", "cli_shard", "--key", "k", "a", "b", "c", "d");
    String shard = ids.get("shardId").asText();
    String second = ids.get("recordIds").get(1).asText();

    JsonNode fromSecond = okJson("stream", "read", "cli_shard", "--from", second);
    assertThat(fromSecond.get("records").findValuesAsText("payload"))
        .containsExactly("b", "c", "d");

    JsonNode limited = okJson("stream", "read", "cli_shard", "--shard", shard, "--max", "2");
    assertThat(limited.get("records").findValuesAsText("payload")).containsExactly("a", "b");

    JsonNode latest = okJson("stream", "read", "cli_shard", "--from", "latest");
    assertThat(latest.get("records")).isEmpty();

    long future = System.currentTimeMillis() + 3_600_000;
    assertThat(okJson("stream", "read", "cli_shard", "--from", "@" + future).get("records"))
        .isEmpty();
    assertThat(okJson("stream", "read", "cli_shard", "--from", "@0").get("records")).hasSize(4);

    CliRun wrongShard = run(at(server, "stream", "read", "cli_shard", "--shard", "999999"));
    assertThat(wrongShard.exitCode()).isEqualTo(1);
    assertThat(wrongShard.err()).contains("has no shard 999999");
  }

  @Test
  void follow_prints_records_appended_after_the_read_started() throws Exception {
    ok("stream", "create", "cli_follow");
    ok("stream", "append", "cli_follow", "before");

    CompletableFuture<CliRun> follower =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    at(
                        server,
                        "stream",
                        "read",
                        "cli_follow",
                        "--follow",
                        "--max",
                        "3",
                        "--json")));
    ok("stream", "append", "cli_follow", "after-1", "after-2");
    CliRun followed = follower.get(60, TimeUnit.SECONDS);

    assertThat(followed.exitCode()).as("%s", followed).isZero();
    List<String> payloads = new ArrayList<>();
    for (String line : followed.outLines()) {
      payloads.add(JSON.readTree(line).get("payload").asText()); // JSON Lines when following
    }
    assertThat(payloads).containsExactly("before", "after-1", "after-2");
  }

  @Test
  void subscription_create_list_consume_delete() throws IOException {
    ok("stream", "create", "cli_sub_stream", "--shards", "2");
    ok("stream", "append", "cli_sub_stream", "--key", "a", "1", "2", "3");
    ok("stream", "append", "cli_sub_stream", "--key", "sensor-1", "4", "5");

    JsonNode created =
        okJson("sub", "create", "cli_sub", "--stream", "cli_sub_stream", "--ack-timeout", "30");
    assertThat(created.get("id").asText()).isEqualTo("cli_sub");
    assertThat(created.get("stream").asText()).isEqualTo("cli_sub_stream");
    assertThat(created.get("offset").asText()).isEqualTo("earliest");
    assertThat(created.get("ackTimeoutSeconds").asInt()).isEqualTo(30);

    assertThat(ok("sub", "list").out()).containsPattern("cli_sub\\s+cli_sub_stream\\s+earliest");
    assertThat(okJson("sub", "list").get("subscriptions").findValuesAsText("id"))
        .contains("cli_sub");

    JsonNode consumed = okJson("sub", "consume", "cli_sub", "--max", "5", "--idle-timeout", "20");
    assertThat(consumed.get("subscription").asText()).isEqualTo("cli_sub");
    assertThat(consumed.get("records").findValuesAsText("payload"))
        .containsExactlyInAnyOrder("1", "2", "3", "4", "5");

    // Everything printed was acknowledged: the next consumer gets only new records.
    ok("stream", "append", "cli_sub_stream", "--key", "a", "6");
    CliRun more = ok("sub", "consume", "cli_sub", "--idle-timeout", "2");
    assertThat(more.outLines()).hasSize(1);
    assertThat(more.out()).containsPattern("\\d+-\\d+-\\d+\\s+a\\s+6");

    CliRun busy = run(at(server, "stream", "delete", "cli_sub_stream"));
    assertThat(busy.exitCode()).isEqualTo(1);
    assertThat(busy.err()).contains("(FAILED_PRECONDITION)");

    assertThat(ok("sub", "delete", "cli_sub").out()).contains("deleted subscription cli_sub");
    assertThat(okJson("sub", "list").get("subscriptions").findValuesAsText("id"))
        .doesNotContain("cli_sub");
    ok("stream", "delete", "cli_sub_stream");
  }

  @Test
  void unknown_subscription_errors() {
    CliRun consume = run(at(server, "sub", "consume", "cli_no_sub", "--idle-timeout", "5"));
    assertThat(consume.exitCode()).isEqualTo(1);
    assertThat(consume.err()).startsWith("error: ").contains("cli_no_sub", "(NOT_FOUND)");

    CliRun onMissingStream = run(at(server, "sub", "create", "cli_sub_x", "--stream", "cli_nope"));
    assertThat(onMissingStream.exitCode()).isEqualTo(1);
    assertThat(onMissingStream.err()).startsWith("error: ");
  }

  @Test
  void an_unreachable_server_is_named_in_the_error() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CliRun result = run("sub", "list", "--server", "127.0.0.1:" + port);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("error: cannot reach Inlet at 127.0.0.1:" + port + " (is it running?)");
  }

  private static JsonNode findRecord(JsonNode records, String recordId) {
    for (JsonNode record : records) {
      if (record.get("recordId").asText().equals(recordId)) {
        return record;
      }
    }
    throw new AssertionError("no record " + recordId + " in " + records);
  }
}
