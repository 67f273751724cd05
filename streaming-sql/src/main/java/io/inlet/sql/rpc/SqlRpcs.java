package io.inlet.sql.rpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.CommandQueryResponse;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.CreateQueryWithNamespaceRequest;
import io.inlet.api.hstream.DeleteQueryRequest;
import io.inlet.api.hstream.DeleteViewRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.ExecuteViewQueryRequest;
import io.inlet.api.hstream.ExecuteViewQueryResponse;
import io.inlet.api.hstream.ExecuteViewQuerySql;
import io.inlet.api.hstream.ExecuteViewQueryWithNamespaceRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.GetSchemaRequest;
import io.inlet.api.hstream.GetViewRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.ListQueriesResponse;
import io.inlet.api.hstream.ListViewsRequest;
import io.inlet.api.hstream.ListViewsResponse;
import io.inlet.api.hstream.ParseSqlRequest;
import io.inlet.api.hstream.ParseSqlResponse;
import io.inlet.api.hstream.PauseQueryRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.QueryType;
import io.inlet.api.hstream.ResumeQueryRequest;
import io.inlet.api.hstream.Schema;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.api.hstream.TerminateQueryRequest;
import io.inlet.api.hstream.UnregisterSchemaRequest;
import io.inlet.api.hstream.View;
import io.inlet.sql.engine.Column;
import io.inlet.sql.engine.QueryDefinition;
import io.inlet.sql.engine.QueryInfo;
import io.inlet.sql.engine.SqlEngine;
import io.inlet.sql.engine.StatementRunner;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.parse.SqlParser;
import io.inlet.sql.statement.PullSelect;
import io.inlet.sql.statement.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HStreamApi's SQL methods (queries, views, schemas) on the {@link SqlEngine}. Every call runs on
 * {@code executor} (planning and submitting a job take seconds); failures become statuses through
 * {@code errors}. A statement that does not parse is INVALID_ARGUMENT (QueryInvalidSQL) with the
 * line, column and what was expected there.
 */
public final class SqlRpcs implements HStreamApiGrpc.AsyncService {
  private final SqlEngine engine;
  private final StatementRunner runner;
  private final Executor executor;
  private final Function<Throwable, StatusRuntimeException> errors;

  public SqlRpcs(
      SqlEngine engine, Executor executor, Function<Throwable, StatusRuntimeException> errors) {
    this.engine = engine;
    this.runner = new StatementRunner(engine);
    this.executor = executor;
    this.errors = errors;
  }

  /** The HStreamApi methods this class serves. */
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getExecuteQueryMethod(),
        HStreamApiGrpc.getCreateQueryMethod(),
        HStreamApiGrpc.getCreateQueryWithNamespaceMethod(),
        HStreamApiGrpc.getListQueriesMethod(),
        HStreamApiGrpc.getGetQueryMethod(),
        HStreamApiGrpc.getTerminateQueryMethod(),
        HStreamApiGrpc.getDeleteQueryMethod(),
        HStreamApiGrpc.getPauseQueryMethod(),
        HStreamApiGrpc.getResumeQueryMethod(),
        HStreamApiGrpc.getParseSqlMethod(),
        HStreamApiGrpc.getRegisterSchemaMethod(),
        HStreamApiGrpc.getGetSchemaMethod(),
        HStreamApiGrpc.getUnregisterSchemaMethod(),
        HStreamApiGrpc.getListViewsMethod(),
        HStreamApiGrpc.getGetViewMethod(),
        HStreamApiGrpc.getDeleteViewMethod(),
        HStreamApiGrpc.getExecuteViewQueryMethod(),
        HStreamApiGrpc.getExecuteViewQueryWithNamespaceMethod());
  }

  /** Parses a statement; a parse failure is a client mistake with its position. */
  static SqlStatement parse(String sql) {
    try {
      return SqlParser.parse(sql);
    } catch (SqlParseException e) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          e.getMessage() + (e.expected() == null ? "" : "; expected " + e.expected()));
    }
  }

  @Override
  public void executeQuery(CommandQuery request, StreamObserver<CommandQueryResponse> out) {
    call(
        out,
        () ->
            CommandQueryResponse.newBuilder()
                .addAllResultSet(runner.run(parse(request.getStmtText()), request.getStmtText()))
                .build());
  }

  @Override
  public void createQuery(CreateQueryRequest request, StreamObserver<Query> out) {
    call(
        out,
        () ->
            toProto(
                engine.create(parse(request.getSql()), request.getSql(), request.getQueryName())));
  }

  @Override
  public void createQueryWithNamespace(
      CreateQueryWithNamespaceRequest request, StreamObserver<Query> out) {
    call(
        out,
        () ->
            toProto(
                engine.create(parse(request.getSql()), request.getSql(), request.getQueryName())));
  }

  @Override
  public void listQueries(ListQueriesRequest request, StreamObserver<ListQueriesResponse> out) {
    call(
        out,
        () -> {
          ListQueriesResponse.Builder b = ListQueriesResponse.newBuilder();
          engine.queries().forEach(q -> b.addQueries(toProto(q)));
          return b.build();
        });
  }

  @Override
  public void getQuery(GetQueryRequest request, StreamObserver<Query> out) {
    call(out, () -> toProto(engine.query(request.getId())));
  }

  @Override
  public void terminateQuery(TerminateQueryRequest request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.terminate(request.getQueryId())));
  }

  @Override
  public void deleteQuery(DeleteQueryRequest request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.delete(request.getId())));
  }

  @Override
  public void pauseQuery(PauseQueryRequest request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.pause(request.getId())));
  }

  @Override
  public void resumeQuery(ResumeQueryRequest request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.resume(request.getId())));
  }

  @Override
  public void parseSql(ParseSqlRequest request, StreamObserver<ParseSqlResponse> out) {
    call(
        out,
        () -> {
          SqlStatement statement = parse(request.getSql());
          ParseSqlResponse.Builder b = ParseSqlResponse.newBuilder();
          if (statement instanceof PullSelect p) {
            b.setEvqSql(ExecuteViewQuerySql.newBuilder().setView(p.view()));
          }
          return b.build();
        });
  }

  @Override
  public void registerSchema(Schema request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.registerSchema(request)));
  }

  @Override
  public void getSchema(GetSchemaRequest request, StreamObserver<Schema> out) {
    call(out, () -> engine.schema(request.getOwner()));
  }

  @Override
  public void unregisterSchema(UnregisterSchemaRequest request, StreamObserver<Empty> out) {
    call(out, () -> done(() -> engine.unregisterSchema(request.getOwner())));
  }

  @Override
  public void listViews(ListViewsRequest request, StreamObserver<ListViewsResponse> out) {
    call(
        out,
        () -> {
          ListViewsResponse.Builder b = ListViewsResponse.newBuilder();
          engine.views().forEach(v -> b.addViews(toView(v)));
          return b.build();
        });
  }

  @Override
  public void getView(GetViewRequest request, StreamObserver<View> out) {
    call(out, () -> toView(engine.viewInfo(request.getViewId())));
  }

  @Override
  public void deleteView(DeleteViewRequest request, StreamObserver<Empty> out) {
    call(
        out, () -> done(() -> engine.deleteView(request.getViewId(), request.getIgnoreNonExist())));
  }

  @Override
  public void executeViewQuery(
      ExecuteViewQueryRequest request, StreamObserver<ExecuteViewQueryResponse> out) {
    call(out, () -> viewQuery(request.getSql()));
  }

  @Override
  public void executeViewQueryWithNamespace(
      ExecuteViewQueryWithNamespaceRequest request, StreamObserver<ExecuteViewQueryResponse> out) {
    call(out, () -> viewQuery(request.getSql()));
  }

  private ExecuteViewQueryResponse viewQuery(String sql) {
    SqlStatement statement = parse(sql);
    if (!(statement instanceof PullSelect p)) {
      throw new InletException(
          ErrorCode.ViewInvalidSQL,
          "ExecuteViewQuery takes a SELECT over a view without EMIT CHANGES; found: " + sql);
    }
    return ExecuteViewQueryResponse.newBuilder().addAllResults(engine.pull(p)).build();
  }

  Query toProto(QueryInfo info) {
    QueryDefinition q = info.definition();
    return Query.newBuilder()
        .setId(q.name())
        .setStatus(status(info.status()))
        .setCreatedTime(q.createdAt())
        .setQueryText(q.sql())
        .addAllSources(q.sources().keySet())
        .setResultName(q.target())
        .setType(
            q.kind() == QueryDefinition.Kind.VIEW
                ? QueryType.CreateViewAs
                : QueryType.CreateStreamAs)
        .setNodeId(engine.ownerOf(q.name()))
        .build();
  }

  View toView(QueryInfo info) {
    QueryDefinition q = info.definition();
    List<String> schema = new ArrayList<>();
    for (Column c : q.output()) {
      schema.add(c.name());
    }
    return View.newBuilder()
        .setViewId(q.target())
        .setStatus(status(info.status()))
        .setCreatedTime(q.createdAt())
        .setSql(q.sql())
        .addAllSchema(schema)
        .setQueryName(q.name())
        .build();
  }

  static TaskStatusPB status(QueryInfo.Status status) {
    return switch (status) {
      case CREATING -> TaskStatusPB.TASK_CREATING;
      case RUNNING -> TaskStatusPB.TASK_RUNNING;
      case ABORTED -> TaskStatusPB.TASK_ABORTED;
      case PAUSED -> TaskStatusPB.TASK_PAUSED;
      case TERMINATED -> TaskStatusPB.TASK_TERMINATED;
    };
  }

  private static Empty done(Runnable action) {
    action.run();
    return Empty.getDefaultInstance();
  }

  private <T> void call(StreamObserver<T> out, Supplier<T> body) {
    try {
      executor.execute(
          () -> {
            T result;
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            // Flink's planner finds its factories through the context class loader; a pool thread
            // may carry a finished job's (closed) one.
            thread.setContextClassLoader(SqlRpcs.class.getClassLoader());
            try {
              result = body.get();
            } catch (RuntimeException e) {
              out.onError(status(e));
              return;
            } finally {
              thread.setContextClassLoader(before);
            }
            out.onNext(result);
            out.onCompleted();
          });
    } catch (RejectedExecutionException e) {
      out.onError(errors.apply(e));
    }
  }

  private StatusRuntimeException status(RuntimeException e) {
    if (e.getCause() instanceof StatusRuntimeException s) {
      return s; // the node's own API refused a call the statement made
    }
    return errors.apply(e);
  }
}
