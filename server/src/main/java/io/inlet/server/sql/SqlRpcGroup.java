package io.inlet.server.sql;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.CommandQueryResponse;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.CreateQueryWithNamespaceRequest;
import io.inlet.api.hstream.DeleteQueryRequest;
import io.inlet.api.hstream.DeleteViewRequest;
import io.inlet.api.hstream.ExecuteViewQueryRequest;
import io.inlet.api.hstream.ExecuteViewQueryResponse;
import io.inlet.api.hstream.ExecuteViewQueryWithNamespaceRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.GetSchemaRequest;
import io.inlet.api.hstream.GetViewRequest;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.ListQueriesResponse;
import io.inlet.api.hstream.ListViewsRequest;
import io.inlet.api.hstream.ListViewsResponse;
import io.inlet.api.hstream.ParseSqlRequest;
import io.inlet.api.hstream.ParseSqlResponse;
import io.inlet.api.hstream.PauseQueryRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.ResumeQueryRequest;
import io.inlet.api.hstream.Schema;
import io.inlet.api.hstream.TerminateQueryRequest;
import io.inlet.api.hstream.UnregisterSchemaRequest;
import io.inlet.api.hstream.View;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.sql.rpc.SqlRpcs;
import java.util.Set;

/**
 * The streaming-sql module's query, view and schema methods as one of the server's {@link
 * RpcGroup}s.
 */
final class SqlRpcGroup implements RpcGroup {
  private final SqlRpcs rpcs;

  SqlRpcGroup(SqlRpcs rpcs) {
    this.rpcs = rpcs;
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return rpcs.methods();
  }

  @Override
  public void executeQuery(CommandQuery request, StreamObserver<CommandQueryResponse> out) {
    rpcs.executeQuery(request, out);
  }

  @Override
  public void createQuery(CreateQueryRequest request, StreamObserver<Query> out) {
    rpcs.createQuery(request, out);
  }

  @Override
  public void createQueryWithNamespace(
      CreateQueryWithNamespaceRequest request, StreamObserver<Query> out) {
    rpcs.createQueryWithNamespace(request, out);
  }

  @Override
  public void listQueries(ListQueriesRequest request, StreamObserver<ListQueriesResponse> out) {
    rpcs.listQueries(request, out);
  }

  @Override
  public void getQuery(GetQueryRequest request, StreamObserver<Query> out) {
    rpcs.getQuery(request, out);
  }

  @Override
  public void terminateQuery(TerminateQueryRequest request, StreamObserver<Empty> out) {
    rpcs.terminateQuery(request, out);
  }

  @Override
  public void deleteQuery(DeleteQueryRequest request, StreamObserver<Empty> out) {
    rpcs.deleteQuery(request, out);
  }

  @Override
  public void pauseQuery(PauseQueryRequest request, StreamObserver<Empty> out) {
    rpcs.pauseQuery(request, out);
  }

  @Override
  public void resumeQuery(ResumeQueryRequest request, StreamObserver<Empty> out) {
    rpcs.resumeQuery(request, out);
  }

  @Override
  public void parseSql(ParseSqlRequest request, StreamObserver<ParseSqlResponse> out) {
    rpcs.parseSql(request, out);
  }

  @Override
  public void registerSchema(Schema request, StreamObserver<Empty> out) {
    rpcs.registerSchema(request, out);
  }

  @Override
  public void getSchema(GetSchemaRequest request, StreamObserver<Schema> out) {
    rpcs.getSchema(request, out);
  }

  @Override
  public void unregisterSchema(UnregisterSchemaRequest request, StreamObserver<Empty> out) {
    rpcs.unregisterSchema(request, out);
  }

  @Override
  public void listViews(ListViewsRequest request, StreamObserver<ListViewsResponse> out) {
    rpcs.listViews(request, out);
  }

  @Override
  public void getView(GetViewRequest request, StreamObserver<View> out) {
    rpcs.getView(request, out);
  }

  @Override
  public void deleteView(DeleteViewRequest request, StreamObserver<Empty> out) {
    rpcs.deleteView(request, out);
  }

  @Override
  public void executeViewQuery(
      ExecuteViewQueryRequest request, StreamObserver<ExecuteViewQueryResponse> out) {
    rpcs.executeViewQuery(request, out);
  }

  @Override
  public void executeViewQueryWithNamespace(
      ExecuteViewQueryWithNamespaceRequest request, StreamObserver<ExecuteViewQueryResponse> out) {
    rpcs.executeViewQueryWithNamespace(request, out);
  }
}
