package io.inlet.sql.engine;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.sql.statement.FlinkStatement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code FLINK} statement (Flink's own SQL) is, and which streams it names. The engine runs
 * these kinds; any other statement is refused with its first words.
 */
final class FlinkStatements {
  /** The kinds of Flink statement the engine runs. */
  enum Kind {
    /**
     * {@code CREATE TABLE t (...) WITH ('connector' = 'inlet', ...)}: kept and declared in jobs.
     */
    CREATE_TABLE,
    /** {@code DROP TABLE [IF EXISTS] t}. */
    DROP_TABLE,
    /** {@code SHOW TABLES}: the streams and the kept tables. */
    SHOW_TABLES,
    /** {@code SELECT ...} or {@code WITH ... SELECT}: a push query (CreateQuery). */
    SELECT,
    /** {@code INSERT INTO t SELECT ...}: a persistent query. */
    INSERT,
    /** {@code EXPLAIN ...}: the plan. */
    EXPLAIN
  }

  static final String RUNS =
      "FLINK runs CREATE TABLE (over the inlet connector), DROP TABLE, SHOW TABLES, SELECT (a push"
          + " query, through CreateQuery), INSERT INTO and EXPLAIN";

  private static final Pattern CREATE_TABLE = Pattern.compile("(?is)CREATE\\s+TABLE\\b.*");
  private static final Pattern DROP_TABLE =
      Pattern.compile("(?is)DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?(`(?:[^`]|``)+`|[\\w.]+)\\s*");
  private static final Pattern SHOW_TABLES = Pattern.compile("(?is)SHOW\\s+TABLES\\s*");
  private static final Pattern INSERT =
      Pattern.compile("(?is)INSERT\\s+INTO\\s+(`(?:[^`]|``)+`|[\\w.]+)(\\s.*|\\(.*)?");
  private static final Pattern EXPLAIN = Pattern.compile("(?is)EXPLAIN\\s+(.*)");
  private static final Pattern NAME = Pattern.compile("`((?:[^`]|``)+)`|([A-Za-z_][\\w-]*)");
  private static final Pattern FIRST_WORDS = Pattern.compile("(?s)^\\s*(\\S+(\\s+\\S+)?)");

  private FlinkStatements() {}

  static Kind kind(String flinkSql) {
    if (CREATE_TABLE.matcher(flinkSql).matches()) {
      return Kind.CREATE_TABLE;
    }
    if (DROP_TABLE.matcher(flinkSql).matches()) {
      return Kind.DROP_TABLE;
    }
    if (SHOW_TABLES.matcher(flinkSql).matches()) {
      return Kind.SHOW_TABLES;
    }
    if (new FlinkStatement(flinkSql).isSelect()) {
      return Kind.SELECT;
    }
    if (INSERT.matcher(flinkSql).matches()) {
      return Kind.INSERT;
    }
    if (EXPLAIN.matcher(flinkSql).matches()) {
      return Kind.EXPLAIN;
    }
    Matcher first = FIRST_WORDS.matcher(flinkSql);
    String words = first.find() ? first.group(1) : flinkSql;
    throw new InletException(
        ErrorCode.QueryInvalidSQL,
        "Flink statement "
            + words.toUpperCase(Locale.ROOT)
            + " is not run here: "
            + RUNS
            + " (a Flink job of this node keeps no other catalog objects)");
  }

  /** DROP TABLE's table name, and whether it said IF EXISTS. */
  record DropTable(String name, boolean ifExists) {}

  static DropTable dropTable(String flinkSql) {
    Matcher m = DROP_TABLE.matcher(flinkSql);
    if (!m.matches()) {
      throw new IllegalArgumentException("not DROP TABLE: " + flinkSql);
    }
    return new DropTable(unquote(m.group(2)), m.group(1) != null);
  }

  /** The table INSERT INTO writes. */
  static String insertTarget(String flinkSql) {
    Matcher m = INSERT.matcher(flinkSql);
    if (!m.matches()) {
      throw new IllegalArgumentException("not INSERT INTO: " + flinkSql);
    }
    return unquote(m.group(1));
  }

  /** The statement EXPLAIN explains. */
  static String explained(String flinkSql) {
    Matcher m = EXPLAIN.matcher(flinkSql);
    if (!m.matches()) {
      throw new IllegalArgumentException("not EXPLAIN: " + flinkSql);
    }
    return m.group(1);
  }

  /**
   * The names in a statement that are streams (so that their tables are declared): every word or
   * backquoted name that {@code isStream} accepts. A word that only looks like a stream's name (a
   * column, a keyword) declares a table the job does not read, which costs nothing.
   */
  static Set<String> streamsNamed(String flinkSql, java.util.function.Predicate<String> isStream) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = NAME.matcher(withoutStrings(flinkSql));
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1).replace("``", "`") : m.group(2);
      if (isStream.test(name)) {
        out.add(name);
      }
    }
    return out;
  }

  private static String withoutStrings(String sql) {
    return sql.replaceAll("'(?:[^']|'')*'", "''");
  }

  private static String unquote(String name) {
    if (name.startsWith("`")) {
      return name.substring(1, name.length() - 1).replace("``", "`");
    }
    return name;
  }
}
