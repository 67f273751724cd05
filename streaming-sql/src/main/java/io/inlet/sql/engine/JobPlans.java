package io.inlet.sql.engine;

import io.inlet.sql.flink.InletConnectorOptions;
import io.inlet.sql.statement.SelectQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalType;

/** The Flink SQL a query's job is made of: source tables, the result table, the INSERT. */
final class JobPlans {
  static final String RESULT_TABLE = "__inlet_result";

  private JobPlans() {}

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String sourceDdl(
      String stream,
      List<Column> columns,
      String target,
      String eventTimeField,
      long latenessMs,
      boolean startLatest) {
    StringBuilder out = new StringBuilder("CREATE TEMPORARY TABLE ").append(quote(stream));
    out.append(" (");
    for (Column c : columns) {
      out.append(quote(c.name())).append(' ').append(c.type()).append(", ");
    }
    String time = quote(SelectQuery.EVENT_TIME);
    out.append(time).append(" TIMESTAMP_LTZ(3), WATERMARK FOR ").append(time).append(" AS ");
    out.append(time)
        .append(" - INTERVAL ")
        .append(literal(String.format("%d.%03d", latenessMs / 1000, latenessMs % 1000)))
        .append(" SECOND) WITH (");
    out.append("'connector' = 'inlet', 'target' = ").append(literal(target));
    out.append(", 'stream' = ").append(literal(stream));
    out.append(", '")
        .append(InletConnectorOptions.STARTUP_MODE.key())
        .append("' = '")
        .append(startLatest ? "LATEST" : "EARLIEST")
        .append("'");
    if (eventTimeField != null) {
      out.append(", '")
          .append(InletConnectorOptions.EVENT_TIME_FIELD.key())
          .append("' = ")
          .append(literal(eventTimeField));
    }
    return out.append(")").toString();
  }

  static String resultDdl(List<Column> columns, String target, String stream, boolean changelog) {
    StringBuilder out = new StringBuilder("CREATE TEMPORARY TABLE ").append(quote(RESULT_TABLE));
    out.append(" (");
    List<String> cols = new ArrayList<>();
    for (Column c : columns) {
      cols.add(quote(c.name()) + " " + c.type());
    }
    out.append(String.join(", ", cols)).append(") WITH ('connector' = 'inlet', 'target' = ");
    out.append(literal(target)).append(", 'stream' = ").append(literal(stream));
    if (changelog) {
      out.append(", '").append(InletConnectorOptions.SINK_CHANGELOG.key()).append("' = 'true'");
    }
    return out.append(")").toString();
  }

  static String insert(String flinkSql) {
    return "INSERT INTO " + quote(RESULT_TABLE) + " SELECT * FROM (" + flinkSql + ")";
  }

  /** The columns of a planned query's result, typed for a result table. */
  static List<Column> columns(ResolvedSchema schema) {
    List<Column> out = new ArrayList<>();
    schema
        .getColumns()
        .forEach(c -> out.add(new Column(c.getName(), sqlType(c.getDataType().getLogicalType()))));
    return out;
  }

  static String sqlType(LogicalType type) {
    return switch (type.getTypeRoot()) {
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP_LTZ(3)";
      case TIMESTAMP_WITHOUT_TIME_ZONE -> "TIMESTAMP(3)";
      default -> type.copy(true).asSerializableString();
    };
  }

  /** Source DDLs of a definition. */
  static List<String> sourceDdls(QueryDefinition q, String target) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Column>> e : q.sources().entrySet()) {
      out.add(
          sourceDdl(
              e.getKey(),
              e.getValue(),
              target,
              q.eventTimeField(),
              q.latenessMs(),
              q.startLatest()));
    }
    return out;
  }
}
