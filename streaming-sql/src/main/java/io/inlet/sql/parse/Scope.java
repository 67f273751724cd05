package io.inlet.sql.parse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables one SELECT reads, for resolving its column references: which stream a column comes
 * from (so that the stream's table declares it) and how to name it in Flink SQL.
 */
final class Scope {
  /** Columns the engine or a window adds, never read from a record. */
  static final Set<String> SYSTEM_COLUMNS =
      Set.of("window_start", "window_end", "window_time", "__event_time");

  /**
   * One table of a FROM clause.
   *
   * @param qualifier the name references use ({@code s.c}): the alias, or the stream's name
   * @param stream the stream read, or null for a subquery
   * @param columns a subquery's output columns (null when it has a wildcard)
   */
  record Source(String qualifier, String stream, List<String> columns) {
    boolean has(String column) {
      return columns == null || columns.contains(column);
    }
  }

  private final List<Source> sources = new ArrayList<>();
  private final Set<String> usingColumns = new LinkedHashSet<>();
  private final Map<String, Set<String>> columnsByStream;

  Scope(Map<String, Set<String>> columnsByStream) {
    this.columnsByStream = columnsByStream;
  }

  void add(Source source) {
    sources.add(source);
    if (source.stream() != null) {
      columnsByStream.computeIfAbsent(source.stream(), s -> new LinkedHashSet<>());
    }
  }

  List<Source> sources() {
    return sources;
  }

  /** A column of a join's USING list: both sides' streams declare it. */
  void addUsing(String column, Source left, Source right) {
    usingColumns.add(column);
    declare(left, column);
    declare(right, column);
  }

  boolean isUsing(String column) {
    return usingColumns.contains(column);
  }

  void declare(Source source, String column) {
    if (source.stream() != null && !SYSTEM_COLUMNS.contains(column)) {
      columnsByStream.get(source.stream()).add(column);
    }
  }

  /** {@code s.*}: the stream's table declares every field. */
  void declareAll(Source source) {
    if (source.stream() != null) {
      columnsByStream.get(source.stream()).add(io.inlet.sql.statement.SelectQuery.ALL_COLUMNS);
    }
  }

  Source byQualifier(String qualifier) {
    for (Source source : sources) {
      if (qualifier.equals(source.qualifier())) {
        return source;
      }
    }
    return null;
  }

  /** The table an unqualified column comes from. */
  Source resolve(Expr.Column column) throws SqlParseException {
    if (sources.size() == 1) {
      return sources.get(0);
    }
    List<Source> derived = new ArrayList<>();
    List<Source> streams = new ArrayList<>();
    for (Source source : sources) {
      if (source.stream() == null) {
        if (source.columns() != null && source.columns().contains(column.name())) {
          derived.add(source);
        }
      } else {
        streams.add(source);
      }
    }
    if (derived.size() == 1) {
      return derived.get(0);
    }
    if (derived.isEmpty() && streams.size() == 1) {
      return streams.get(0);
    }
    List<String> names = new ArrayList<>();
    for (Source source : sources) {
      names.add(source.qualifier() + "." + column.name());
    }
    throw Cursor.error(
        column.at(),
        "column " + column.name() + " is ambiguous: qualify it with its stream",
        String.join(" or ", names));
  }
}
