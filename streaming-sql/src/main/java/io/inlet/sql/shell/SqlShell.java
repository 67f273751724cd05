package io.inlet.sql.shell;

import com.google.protobuf.Struct;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.CommandQueryResponse;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.parse.SqlParser;
import io.inlet.sql.statement.FlinkStatement;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.SqlStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code inlet sql}: HStreamDB's SQL against a node, like {@code hstream sql}. Statements go to
 * ExecuteQuery and their result sets print as tables; a push query ({@code SELECT ... EMIT
 * CHANGES}) streams its results until Ctrl-C ({@link PushQuery}). Interactive (line editing and
 * history), or a script with {@code -e} / {@code -f}.
 */
public final class SqlShell {
  private static final Pattern SET_DIALECT =
      Pattern.compile("(?i)\\s*SET\\s+dialect\\s*=\\s*'?(\\w+)'?\\s*;?\\s*");
  private static final long CLEAN_UP_SECONDS = 10;

  private final SqlConnection connection;
  private final PrintWriter out;
  private final PrintWriter err;
  private boolean flinkDialect;
  private volatile PushQuery running;

  SqlShell(SqlConnection connection, PrintWriter out, PrintWriter err) {
    this.connection = connection;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code inlet sql} with the arguments after {@code sql}.
   *
   * @return the exit code: 0 done, 1 a statement failed, 2 usage error
   */
  public static int run(
      List<String> args,
      SqlConnection connection,
      InputStream in,
      PrintWriter out,
      PrintWriter err) {
    ShellArguments arguments;
    try {
      arguments = ShellArguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("inlet sql: " + e.getMessage());
      err.println(ShellArguments.USAGE);
      err.flush();
      return 2;
    }
    if (arguments.help()) {
      out.println(ShellArguments.USAGE);
      out.flush();
      return 0;
    }
    SqlShell shell = new SqlShell(connection, out, err);
    if (arguments.execute() != null) {
      return shell.script(arguments.execute());
    }
    if (arguments.file() != null) {
      String text;
      try {
        text = Files.readString(arguments.file(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("inlet sql: cannot read " + arguments.file() + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      return shell.script(text);
    }
    return new InteractiveShell(shell, arguments.history(), in).run();
  }

  /** Runs every statement of {@code text}, stopping at the first that fails. */
  int script(String text) {
    StatementSplitter splitter = new StatementSplitter();
    List<String> statements = new java.util.ArrayList<>(splitter.feed(text));
    String last = splitter.drain();
    if (!last.isEmpty()) {
      statements.add(last);
    }
    for (String statement : statements) {
      if (!execute(statement)) {
        return 1;
      }
    }
    return 0;
  }

  /** Whether {@code line} is a shell command rather than SQL: help, quit, exit. */
  static String shellCommand(String line) {
    String word = line.strip().replaceAll(";$", "").strip().toLowerCase(Locale.ROOT);
    return switch (word) {
      case "help", "\\h", "\\?", ":help" -> "help";
      case "quit", "exit", "\\q", ":q", ":quit" -> "quit";
      default -> null;
    };
  }

  /** Runs one statement, printing its result or error; false when it failed. */
  boolean execute(String statement) {
    Matcher dialect = SET_DIALECT.matcher(statement);
    if (dialect.matches()) {
      return setDialect(dialect.group(1));
    }
    String sql = flinkDialect ? SqlParser.FLINK_PREFIX + " " + statement : statement;
    SqlStatement parsed;
    try {
      parsed = SqlParser.parse(sql);
    } catch (SqlParseException e) {
      printParseError(statement, e);
      return false;
    }
    try {
      if (parsed instanceof PushSelect) {
        push(statement, false);
      } else if (parsed instanceof FlinkStatement f && f.isSelect()) {
        push(f.flinkSql(), true);
      } else {
        CommandQueryResponse response =
            connection.unary().executeQuery(CommandQuery.newBuilder().setStmtText(sql).build());
        printResult(response.getResultSetList());
      }
      return true;
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      err.println(
          "error: " + e.getStatus().getCode() + (description == null ? "" : ": " + description));
      err.flush();
      return false;
    }
  }

  private boolean setDialect(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "flink" -> flinkDialect = true;
      case "hstream", "hstreamdb" -> flinkDialect = false;
      default -> {
        err.println("error: unknown dialect " + name + " (hstream or flink)");
        err.flush();
        return false;
      }
    }
    out.println("dialect: " + (flinkDialect ? "flink" : "hstream"));
    out.flush();
    return true;
  }

  void printResult(List<Struct> rows) {
    if (rows.isEmpty()) {
      out.println("OK");
    } else {
      ResultTable.render(rows).forEach(out::println);
      out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    }
    out.flush();
  }

  private void printParseError(String statement, SqlParseException e) {
    err.println("error: " + e.getMessage());
    String[] lines = statement.split("\n", -1);
    int line = e.line();
    if (line >= 1 && line <= lines.length) {
      err.println("  " + lines[line - 1]);
      err.println("  " + " ".repeat(Math.max(0, e.column() - 1)) + "^");
    }
    err.flush();
  }

  /** Streams a push query's results until {@link #interrupt} or the end of the process. */
  private void push(String select, boolean flink) {
    PushQuery query = new PushQuery(connection, flink);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              // Killed (Ctrl-C outside the interactive shell): clean up before the JVM exits.
              query.stop();
              try {
                done.await(CLEAN_UP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "inlet-sql-push-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    running = query;
    try {
      query.run(
          select,
          row -> {
            out.println(ValueText.json(row));
            out.flush();
          },
          warning -> {
            err.println("warning: " + warning);
            err.flush();
          });
    } finally {
      running = null;
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now that done is counted down
      }
    }
  }

  /** Ctrl-C while a push query runs: stops it (it cleans up); false when none runs. */
  boolean interrupt() {
    PushQuery query = running;
    if (query == null) {
      return false;
    }
    query.stop();
    return true;
  }

  boolean flinkDialect() {
    return flinkDialect;
  }
}
