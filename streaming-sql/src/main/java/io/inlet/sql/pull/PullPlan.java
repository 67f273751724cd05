package io.inlet.sql.pull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import io.inlet.sql.parse.SelectAst;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.statement.PullSelect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * A pull query compiled against one view's columns: which rows it keeps (WHERE, in SQL's
 * three-valued logic: a row is kept only when the condition is TRUE) and what it returns for each
 * (the select items, named by their alias, their column or their text). Immutable; {@link #run} may
 * be called from any thread.
 */
public final class PullPlan {
  private final ViewCells cells;
  private final Compiled where;
  private final List<String> names;
  private final List<Compiled> items;

  private PullPlan(ViewCells cells, Compiled where, List<String> names, List<Compiled> items) {
    this.cells = cells;
    this.where = where;
    this.names = names;
    this.items = items;
  }

  /**
   * Compiles {@code select} over a view with columns {@code columnNames} of Flink types {@code
   * columnTypes} ({@code BIGINT}, {@code STRING}, {@code TIMESTAMP(3)}, ...).
   *
   * @throws SqlParseException for an unknown column, a type mismatch, or a construct pull queries
   *     do not support (GROUP BY, HAVING, a window, aggregates, some functions); it names the
   *     construct and where it stands
   */
  public static PullPlan plan(PullSelect select, List<String> columnNames, List<String> columnTypes)
      throws SqlParseException {
    SelectAst ast = select.select();
    refuseClauses(ast);
    List<LogicalType> types = new ArrayList<>();
    Map<String, ExpressionCompiler.ColumnSlot> slots = new LinkedHashMap<>();
    for (int i = 0; i < columnNames.size(); i++) {
      LogicalType type =
          LogicalTypeParser.parse(columnTypes.get(i), PullPlan.class.getClassLoader());
      types.add(type);
      slots.put(columnNames.get(i), new ExpressionCompiler.ColumnSlot(i, ValueType.of(type)));
    }
    SelectAst.StreamRef view = (SelectAst.StreamRef) ast.from();
    String qualifier = view.alias() != null ? view.alias() : view.name();
    ExpressionCompiler compiler = new ExpressionCompiler(qualifier, slots);

    Compiled where = null;
    if (ast.where() != null) {
      where = compiler.compile(ast.where());
      if (!where.type().fits(ValueType.BOOLEAN)) {
        throw ExpressionCompiler.refuse(
            ast.where().at(), "WHERE takes a condition, found " + where.type(), "a BOOLEAN");
      }
    }
    List<String> names = new ArrayList<>();
    List<Compiled> items = new ArrayList<>();
    for (int i = 0; i < ast.items().size(); i++) {
      SelectAst.Item item = ast.items().get(i);
      if (item.wildcard()) {
        if (item.wildcardQualifier() != null && !item.wildcardQualifier().equals(qualifier)) {
          throw ExpressionCompiler.refuse(
              item.at(), "unknown view or alias " + item.wildcardQualifier(), qualifier + ".*");
        }
        for (Map.Entry<String, ExpressionCompiler.ColumnSlot> e : slots.entrySet()) {
          int index = e.getValue().index();
          names.add(e.getKey());
          items.add(new Compiled(e.getValue().type(), row -> row[index]));
        }
      } else {
        names.add(select.columnNames().get(i));
        items.add(compiler.compile(item.expr()));
      }
    }
    return new PullPlan(new ViewCells(columnNames, types), where, names, items);
  }

  private static void refuseClauses(SelectAst ast) throws SqlParseException {
    if (!ast.groupBy().isEmpty() || ast.window() != null) {
      throw ExpressionCompiler.refuse(
          ast.window() != null ? ast.window().at() : ast.groupBy().get(0).at(),
          "GROUP BY is not supported in a pull query (it reads the view's rows as they are;"
              + " group in the view's query)",
          "WHERE or the end of the statement");
    }
    if (ast.having() != null) {
      throw ExpressionCompiler.refuse(
          ast.having().at(),
          "HAVING is not supported in a pull query; use WHERE",
          "WHERE or the end of the statement");
    }
    if (!(ast.from() instanceof SelectAst.StreamRef)) {
      throw ExpressionCompiler.refuse(
          ast.from().at(), "a pull query reads one view", "a view name");
    }
  }

  /**
   * The result rows over the view's rows {@code rows}, in their order.
   *
   * @throws PullEvaluationException when a value fails an operation (a cast, a division by zero)
   */
  public List<Struct> run(Iterable<ObjectNode> rows) {
    List<Struct> out = new ArrayList<>();
    for (ObjectNode stored : rows) {
      Object[] row = cells.decode(stored);
      if (where != null && !Logic.keeps(where.apply(row))) {
        continue;
      }
      Struct.Builder result = Struct.newBuilder();
      for (int i = 0; i < items.size(); i++) {
        result.putFields(names.get(i), ViewCells.value(items.get(i).apply(row)));
      }
      out.add(result.build());
    }
    return out;
  }

  /** The result's column names, in order. */
  public List<String> columnNames() {
    return names;
  }
}
