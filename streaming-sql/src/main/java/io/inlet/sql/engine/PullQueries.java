package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.pull.PullEvaluationException;
import io.inlet.sql.pull.PullPlan;
import io.inlet.sql.statement.PullSelect;
import java.util.List;

/**
 * Runs a pull query over a view's stored rows in the node ({@link PullPlan}), without Flink. A
 * query the evaluator refuses, or a value that fails while evaluating, is INVALID_ARGUMENT
 * (ViewInvalidSQL) with the reason.
 */
final class PullQueries {
  private PullQueries() {}

  static List<Struct> run(PullSelect select, List<Column> view, List<ObjectNode> rows) {
    PullPlan plan;
    try {
      plan =
          PullPlan.plan(
              select,
              view.stream().map(Column::name).toList(),
              view.stream().map(Column::type).toList());
    } catch (SqlParseException e) {
      throw new InletException(ErrorCode.ViewInvalidSQL, e.getMessage());
    }
    try {
      return plan.run(rows);
    } catch (PullEvaluationException e) {
      throw new InletException(
          ErrorCode.ViewInvalidSQL, "pull query on view " + select.view() + ": " + e.getMessage());
    }
  }
}
