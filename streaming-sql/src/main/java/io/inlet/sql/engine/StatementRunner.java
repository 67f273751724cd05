package io.inlet.sql.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.HStreamRecords;
import io.inlet.sql.statement.CreateConnector;
import io.inlet.sql.statement.CreateStream;
import io.inlet.sql.statement.CreateStreamAs;
import io.inlet.sql.statement.CreateView;
import io.inlet.sql.statement.Drop;
import io.inlet.sql.statement.Explain;
import io.inlet.sql.statement.FlinkStatement;
import io.inlet.sql.statement.InsertSelect;
import io.inlet.sql.statement.InsertValues;
import io.inlet.sql.statement.ObjectKind;
import io.inlet.sql.statement.PauseResume;
import io.inlet.sql.statement.PullSelect;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.Show;
import io.inlet.sql.statement.SqlStatement;
import io.inlet.sql.statement.TerminateQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ExecuteQuery: runs one statement and answers with rows (a {@code Struct} each). Statements that
 * change something answer with nothing, or with the one row of what they created.
 */
public final class StatementRunner {
  private final SqlEngine engine;

  public StatementRunner(SqlEngine engine) {
    this.engine = engine;
  }

  public List<Struct> run(SqlStatement statement, String sql) {
    NodeStreams streams = engine.streams();
    if (statement instanceof CreateStream c) {
      streams.create(
          c.name(),
          c.replicationFactor(),
          (int) c.backlogDuration().map(d -> d.getSeconds()).orElse(0L).longValue());
      return List.of(row("stream", text(c.name())));
    }
    if (statement instanceof CreateStreamAs
        || statement instanceof CreateView
        || statement instanceof InsertSelect) {
      QueryInfo q = engine.create(statement, sql, null);
      return List.of(queryRow(q));
    }
    if (statement instanceof CreateConnector c) {
      return engine.connectors().create(c);
    }
    if (statement instanceof PushSelect) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          "a push query (SELECT ... EMIT CHANGES) runs through CreateQuery, as hstream sql runs"
              + " it: CREATE STREAM s AS SELECT ..., then read s (./inlet sql does this)");
    }
    if (statement instanceof FlinkStatement f) {
      return flink(f, sql);
    }
    if (statement instanceof PullSelect p) {
      return engine.pull(p);
    }
    if (statement instanceof InsertValues i) {
      HStreamRecord record =
          i.json()
              ? HStreamRecords.json(
                  "",
                  HStreamRecords.structFromJson(new String(i.payload(), StandardCharsets.UTF_8)),
                  Map.of())
              : HStreamRecord.newBuilder()
                  .setHeader(HStreamRecordHeader.newBuilder().setFlag(HStreamRecordHeader.Flag.RAW))
                  .setPayload(ByteString.copyFrom(i.payload()))
                  .build();
      streams.append(i.stream(), record);
      return List.of();
    }
    if (statement instanceof Show s) {
      return show(s.kind());
    }
    if (statement instanceof Drop d) {
      switch (d.kind()) {
        case STREAM -> streams.delete(d.name(), d.ifExists());
        case VIEW -> engine.deleteView(d.name(), d.ifExists());
        case QUERY -> {
          try {
            engine.delete(d.name());
          } catch (InletException e) {
            if (!(d.ifExists() && e.code() == ErrorCode.QueryNotFound)) {
              throw e;
            }
          }
        }
        case CONNECTOR -> engine.connectors().delete(d.name(), d.ifExists());
      }
      return List.of();
    }
    if (statement instanceof TerminateQuery t) {
      engine.terminate(t.name());
      return List.of();
    }
    if (statement instanceof PauseResume p) {
      if (p.kind() == ObjectKind.CONNECTOR) {
        if (p.pause()) {
          engine.connectors().pause(p.name());
        } else {
          engine.connectors().resume(p.name());
        }
      } else if (p.pause()) {
        engine.pause(p.name());
      } else {
        engine.resume(p.name());
      }
      return List.of();
    }
    if (statement instanceof Explain e) {
      SqlStatement inner = e.statement();
      io.inlet.sql.statement.SelectQuery query;
      if (inner instanceof CreateStreamAs c) {
        query = c.query();
      } else if (inner instanceof CreateView v) {
        query = v.query();
      } else if (inner instanceof PushSelect p) {
        query = p.query();
      } else if (inner instanceof InsertSelect i) {
        query = i.query();
      } else {
        throw new InletException(
            ErrorCode.QueryInvalidSQL, "EXPLAIN takes a SELECT, CREATE STREAM AS or CREATE VIEW");
      }
      return List.of(row("plan", text(engine.explain(query))));
    }
    throw new InletException(
        ErrorCode.QueryInvalidSQL,
        "this statement is not run by ExecuteQuery here: " + statement.getClass().getSimpleName());
  }

  private List<Struct> flink(FlinkStatement f, String sql) {
    switch (FlinkStatements.kind(f.flinkSql())) {
      case CREATE_TABLE -> {
        return List.of(row("table", text(engine.createFlinkTable(f.flinkSql()))));
      }
      case DROP_TABLE -> {
        FlinkStatements.DropTable drop = FlinkStatements.dropTable(f.flinkSql());
        engine.dropFlinkTable(drop.name(), drop.ifExists());
        return List.of();
      }
      case SHOW_TABLES -> {
        List<Struct> out = new ArrayList<>();
        for (Stream s : engine.streams().list()) {
          out.add(
              Struct.newBuilder()
                  .putFields("table", text(s.getStreamName()))
                  .putFields("kind", text("stream"))
                  .build());
        }
        engine
            .flinkTables()
            .keySet()
            .forEach(
                t ->
                    out.add(
                        Struct.newBuilder()
                            .putFields("table", text(t))
                            .putFields("kind", text("table"))
                            .build()));
        return out;
      }
      case SELECT ->
          throw new InletException(
              ErrorCode.QueryInvalidSQL,
              "a push query (FLINK SELECT ...) runs through CreateQuery: its results go to a new"
                  + " stream named after the query, read it with a subscription (./inlet sql does"
                  + " this)");
      case INSERT -> {
        return List.of(queryRow(engine.create(f, sql, null)));
      }
      case EXPLAIN -> {
        return List.of(row("plan", text(engine.explainFlink(f.flinkSql()))));
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private List<Struct> show(ObjectKind kind) {
    List<Struct> out = new ArrayList<>();
    switch (kind) {
      case STREAM -> {
        for (Stream s : engine.streams().list()) {
          out.add(
              Struct.newBuilder()
                  .putFields("name", text(s.getStreamName()))
                  .putFields("replication", number(s.getReplicationFactor()))
                  .putFields("backlog_seconds", number(s.getBacklogDuration()))
                  .putFields("shards", number(s.getShardCount()))
                  .build());
        }
      }
      case QUERY -> engine.queries().forEach(q -> out.add(queryRow(q)));
      case VIEW -> engine.views().forEach(q -> out.add(QueryRows.viewRow(q)));
      case CONNECTOR -> out.addAll(engine.connectors().list());
    }
    return out;
  }

  static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  static Value number(long n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  static Struct row(String key, Value value) {
    return Struct.newBuilder().putFields(key, value).build();
  }

  /** A query as SHOW QUERIES lists it, with the node that runs it. */
  private Struct queryRow(QueryInfo q) {
    return QueryRows.row(q, engine.ownerOf(q.definition().name()));
  }
}
