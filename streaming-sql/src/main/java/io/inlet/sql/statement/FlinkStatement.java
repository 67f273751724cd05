package io.inlet.sql.statement;

import java.util.regex.Pattern;

/** A statement in Flink's own SQL, passed to the planner as written (the client asked for it). */
public record FlinkStatement(String flinkSql) implements SqlStatement {
  private static final Pattern SELECT = Pattern.compile("(?is)\\s*(SELECT|WITH)\\b.*");

  /** Whether it is a query ({@code SELECT} or {@code WITH ... SELECT}): a push query. */
  public boolean isSelect() {
    return SELECT.matcher(flinkSql).matches();
  }
}
