package io.inlet.sql.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of inlet sql that need no server: splitting, tables, arguments, rewriting. */
class ShellPartsTest {

  @Test
  void statements_split_at_semicolons_outside_strings_and_comments() {
    StatementSplitter splitter = new StatementSplitter();
    assertThat(splitter.feedLine("SELECT a FROM s")).isEmpty();
    assertThat(splitter.hasPending()).isTrue();
    assertThat(splitter.feedLine("  WHERE b = 'x;y' -- not the end;"))
        .as("a ; inside a string or a comment does not end the statement")
        .isEmpty();
    assertThat(splitter.feedLine("  AND \"c;\" = 1 /* ; */ EMIT CHANGES; SHOW STREAMS; SHOW"))
        .containsExactly(
            "SELECT a FROM s\n  WHERE b = 'x;y' -- not the end;\n  AND \"c;\" = 1 /* ; */ EMIT"
                + " CHANGES;",
            "SHOW STREAMS;");
    assertThat(splitter.hasPending()).isTrue();
    assertThat(splitter.drain()).isEqualTo("SHOW");
    assertThat(splitter.hasPending()).isFalse();
  }

  @Test
  void blank_statements_and_comments_alone_are_dropped() {
    StatementSplitter splitter = new StatementSplitter();
    assertThat(splitter.feed(";; -- comment\n/* only ; a comment */ ; // x;\n")).isEmpty();
    assertThat(splitter.hasPending()).isFalse();
  }

  @Test
  void result_sets_print_as_tables() {
    Struct first =
        Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("weather").build())
            .putFields("replication", Value.newBuilder().setNumberValue(1).build())
            .build();
    Struct second =
        Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("a much longer name").build())
            .putFields("ratio", Value.newBuilder().setNumberValue(0.25).build())
            .putFields(
                "tags",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(Value.newBuilder().setStringValue("x"))
                            .addValues(Value.newBuilder().setBoolValue(true)))
                    .build())
            .build();
    assertThat(ResultTable.render(List.of(first, second)))
        .containsExactly(
            "+--------------------+-------------+-------+-------------+",
            "| name               | replication | ratio | tags        |",
            "+--------------------+-------------+-------+-------------+",
            "| weather            | 1           |       |             |",
            "| a much longer name |             | 0.25  | [\"x\", true] |",
            "+--------------------+-------------+-------+-------------+");
  }

  @Test
  void push_rows_print_as_json_with_whole_numbers_plain() {
    Struct row =
        Struct.newBuilder()
            .putFields("city", Value.newBuilder().setStringValue("Pa\"ris").build())
            .putFields("n", Value.newBuilder().setNumberValue(3).build())
            .putFields("avg", Value.newBuilder().setNumberValue(21.5).build())
            .putFields("none", Value.newBuilder().setNullValueValue(0).build())
            .build();
    assertThat(ValueText.json(row))
        .isEqualTo("{\"city\": \"Pa\\\"ris\", \"n\": 3, \"avg\": 21.5, \"none\": null}");
  }

  @Test
  void push_select_is_rewritten_into_create_stream_as() {
    assertThat(
            PushQuery.createStreamAs(
                "cli_generated_stream_x",
                "SELECT a, COUNT(*) FROM s GROUP BY a, TUMBLING (INTERVAL 1 SECOND)\n emit  changes ;"))
        .isEqualTo(
            "CREATE STREAM cli_generated_stream_x AS SELECT a, COUNT(*) FROM s GROUP BY a,"
                + " TUMBLING (INTERVAL 1 SECOND);");
  }

  @Test
  void arguments() {
    ShellArguments interactive = ShellArguments.parse(List.of());
    assertThat(interactive.interactive()).isTrue();
    assertThat(interactive.history().getFileName().toString()).isEqualTo(".inlet_sql_history");
    assertThat(ShellArguments.parse(List.of("-e", "SHOW STREAMS;")).execute())
        .isEqualTo("SHOW STREAMS;");
    assertThat(ShellArguments.parse(List.of("--execute=SHOW VIEWS")).execute())
        .isEqualTo("SHOW VIEWS");
    assertThat(ShellArguments.parse(List.of("-f", "a.sql", "--history", "/tmp/h")))
        .isEqualTo(new ShellArguments(null, Path.of("a.sql"), Path.of("/tmp/h"), false));
    assertThat(ShellArguments.parse(List.of("--help")).help()).isTrue();
    assertThatThrownBy(() -> ShellArguments.parse(List.of("-e", "x", "-f", "y")))
        .hasMessage("give -e or -f, not both");
    assertThatThrownBy(() -> ShellArguments.parse(List.of("-f"))).hasMessage("-f needs a value");
    assertThatThrownBy(() -> ShellArguments.parse(List.of("--bogus")))
        .hasMessage("unknown argument: --bogus");
  }

  @Test
  void shell_commands() {
    assertThat(SqlShell.shellCommand(" quit; ")).isEqualTo("quit");
    assertThat(SqlShell.shellCommand("EXIT")).isEqualTo("quit");
    assertThat(SqlShell.shellCommand("help")).isEqualTo("help");
    assertThat(SqlShell.shellCommand("SHOW STREAMS;")).isNull();
  }
}
