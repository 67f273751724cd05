package io.inlet.sql.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.HStreamApiGrpc;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * inlet sql's handling of what it can decide without a server: a statement that does not parse is
 * reported with its position and never sent; usage errors; the dialect setting.
 */
class SqlShellTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Fails the test if the shell tries to reach a server. */
  private static final SqlConnection NO_SERVER =
      new SqlConnection() {
        @Override
        public HStreamApiGrpc.HStreamApiBlockingStub unary() {
          throw new AssertionError("no statement here should reach the server");
        }

        @Override
        public HStreamApiGrpc.HStreamApiStub async() {
          throw new AssertionError("no statement here should reach the server");
        }
      };

  private int run(String... args) {
    return SqlShell.run(
        List.of(args),
        NO_SERVER,
        new ByteArrayInputStream(new byte[0]),
        new PrintWriter(out),
        new PrintWriter(err));
  }

  @Test
  void a_statement_that_does_not_parse_is_reported_with_a_caret_and_fails_the_script() {
    assertThat(run("-e", "SELECT a\nFORM s;")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "error: line 2, column 1: expected FROM, found 'FORM'\n" + "  FORM s;\n" + "  ^\n");
  }

  @Test
  void usage_errors_exit_2() {
    assertThat(run("--nope")).isEqualTo(2);
    assertThat(err.toString()).startsWith("inlet sql: unknown argument: --nope\nUsage: inlet sql");
  }

  @Test
  void help() {
    assertThat(run("-h")).isZero();
    assertThat(out.toString()).startsWith("Usage: inlet sql");
  }

  @Test
  void a_missing_file_fails() {
    assertThat(run("-f", "/nonexistent/x.sql")).isEqualTo(1);
    assertThat(err.toString()).startsWith("inlet sql: cannot read /nonexistent/x.sql");
  }

  @Test
  void dialect_setting_switches_and_rejects_unknown_names() {
    SqlShell shell = new SqlShell(NO_SERVER, new PrintWriter(out), new PrintWriter(err));
    assertThat(shell.execute("SET dialect = flink;")).isTrue();
    assertThat(shell.flinkDialect()).isTrue();
    assertThat(shell.execute("set DIALECT='hstream'")).isTrue();
    assertThat(shell.flinkDialect()).isFalse();
    assertThat(shell.execute("SET dialect = oracle;")).isFalse();
    assertThat(out.toString()).isEqualTo("dialect: flink\ndialect: hstream\n");
    assertThat(err.toString()).isEqualTo("error: unknown dialect oracle (hstream or flink)\n");
  }

  @Test
  void script_stops_at_the_first_failure() {
    // The first statement fails to parse: the second (which would need the server) never runs.
    assertThat(run("-e", "SHOW NOTHING; SHOW STREAMS;")).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: line 1, column 6: expected QUERIES");
  }
}
