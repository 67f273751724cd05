package io.inlet.sql.engine;

import com.google.protobuf.Struct;
import java.time.Instant;

/** Queries and views as result rows (SHOW QUERIES, SHOW VIEWS, a created query). */
final class QueryRows {
  private QueryRows() {}

  /**
   * @param node the id of the node that runs the query
   */
  static Struct row(QueryInfo q, int node) {
    Struct.Builder out =
        Struct.newBuilder()
            .putFields("query_id", StatementRunner.text(q.definition().name()))
            .putFields("status", StatementRunner.text(q.status().name()))
            .putFields(
                "created_time",
                StatementRunner.text(Instant.ofEpochMilli(q.definition().createdAt()).toString()))
            .putFields("sql", StatementRunner.text(q.definition().sql()))
            .putFields("result", StatementRunner.text(q.definition().target()))
            .putFields("node", StatementRunner.text(Integer.toString(node)));
    if (q.error() != null) {
      out.putFields("error", StatementRunner.text(q.error()));
    }
    return out.build();
  }

  static Struct viewRow(QueryInfo q) {
    return Struct.newBuilder()
        .putFields("view", StatementRunner.text(q.definition().target()))
        .putFields("status", StatementRunner.text(q.status().name()))
        .putFields(
            "created_time",
            StatementRunner.text(Instant.ofEpochMilli(q.definition().createdAt()).toString()))
        .putFields("query_id", StatementRunner.text(q.definition().name()))
        .putFields("sql", StatementRunner.text(q.definition().sql()))
        .build();
  }
}
