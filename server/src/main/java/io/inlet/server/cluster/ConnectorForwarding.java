package io.inlet.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AlterConnectorConfigRequest;
import io.inlet.api.hstream.Connector;
import io.inlet.api.hstream.CreateConnectorRequest;
import io.inlet.api.hstream.DeleteConnectorRequest;
import io.inlet.api.hstream.GetConnectorLogsRequest;
import io.inlet.api.hstream.GetConnectorLogsResponse;
import io.inlet.api.hstream.GetConnectorRequest;
import io.inlet.api.hstream.GetConnectorSpecRequest;
import io.inlet.api.hstream.GetConnectorSpecResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.api.hstream.ListConnectorsResponse;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResumeConnectorRequest;
import io.inlet.api.hstream.ServerNode;
import io.inlet.server.grpc.RpcGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The connector methods of a node in a cluster: a call about one connector is answered by the node
 * that runs it ({@link TaskOwners}), forwarded there when it reached another node, so a client may
 * call any node. ListConnectors asks every running node for the connectors it runs.
 * GetConnectorSpec is answered where it arrives.
 */
public final class ConnectorForwarding implements RpcGroup {
  /** Create checks the database first and delete waits for the task: allow for both. */
  private static final long FORWARD_DEADLINE_SECONDS = 150;

  private static final long LIST_DEADLINE_SECONDS = 10;

  private final RpcGroup local;
  private final TaskOwners owners;
  private final OwnerCalls calls;

  ConnectorForwarding(RpcGroup local, TaskOwners owners, OwnerChannels channels) {
    this.local = local;
    this.owners = owners;
    this.calls =
        new OwnerCalls(owners.selfId(), channels, Duration.ofSeconds(FORWARD_DEADLINE_SECONDS));
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return local.methods();
  }

  @Override
  public List<ServerInterceptor> interceptors() {
    return List.of(ForwardedCalls.reading());
  }

  @Override
  public void createConnector(CreateConnectorRequest request, StreamObserver<Connector> out) {
    atOwner(
        HStreamApiGrpc.getCreateConnectorMethod(),
        request.getName(),
        request,
        out,
        local::createConnector);
  }

  @Override
  public void getConnector(GetConnectorRequest request, StreamObserver<Connector> out) {
    atOwner(
        HStreamApiGrpc.getGetConnectorMethod(),
        request.getName(),
        request,
        out,
        local::getConnector);
  }

  @Override
  public void getConnectorSpec(
      GetConnectorSpecRequest request, StreamObserver<GetConnectorSpecResponse> out) {
    local.getConnectorSpec(request, out);
  }

  @Override
  public void getConnectorLogs(
      GetConnectorLogsRequest request, StreamObserver<GetConnectorLogsResponse> out) {
    atOwner(
        HStreamApiGrpc.getGetConnectorLogsMethod(),
        request.getName(),
        request,
        out,
        local::getConnectorLogs);
  }

  @Override
  public void deleteConnector(DeleteConnectorRequest request, StreamObserver<Empty> out) {
    atOwner(
        HStreamApiGrpc.getDeleteConnectorMethod(),
        request.getName(),
        request,
        out,
        local::deleteConnector);
  }

  @Override
  public void pauseConnector(PauseConnectorRequest request, StreamObserver<Empty> out) {
    atOwner(
        HStreamApiGrpc.getPauseConnectorMethod(),
        request.getName(),
        request,
        out,
        local::pauseConnector);
  }

  @Override
  public void resumeConnector(ResumeConnectorRequest request, StreamObserver<Empty> out) {
    atOwner(
        HStreamApiGrpc.getResumeConnectorMethod(),
        request.getName(),
        request,
        out,
        local::resumeConnector);
  }

  @Override
  public void alterConnectorConfig(AlterConnectorConfigRequest request, StreamObserver<Empty> out) {
    atOwner(
        HStreamApiGrpc.getAlterConnectorConfigMethod(),
        request.getName(),
        request,
        out,
        local::alterConnectorConfig);
  }

  /**
   * The connectors every running node runs, by name. A node that does not answer fails the call
   * (UNAVAILABLE naming it) rather than leave its connectors out of the list.
   */
  @Override
  public void listConnectors(
      ListConnectorsRequest request, StreamObserver<ListConnectorsResponse> out) {
    if (ForwardedCalls.isForwarded()) {
      local.listConnectors(request, out);
      return;
    }
    List<ListenableFuture<ListConnectorsResponse>> answers = new ArrayList<>();
    answers.add(localList(request));
    for (ServerNode node : owners.others()) {
      answers.add(
          Futures.catching(
              HStreamApiGrpc.newFutureStub(calls.marked(node))
                  .withDeadlineAfter(LIST_DEADLINE_SECONDS, TimeUnit.SECONDS)
                  .listConnectors(request),
              Throwable.class,
              failure -> {
                throw unanswered(node, failure);
              },
              MoreExecutors.directExecutor()));
    }
    Futures.addCallback(
        Futures.allAsList(answers),
        new FutureCallback<>() {
          @Override
          public void onSuccess(List<ListConnectorsResponse> lists) {
            Map<String, Connector> byName = new TreeMap<>();
            for (ListConnectorsResponse list : lists) {
              list.getConnectorsList().forEach(c -> byName.putIfAbsent(c.getName(), c));
            }
            out.onNext(
                ListConnectorsResponse.newBuilder().addAllConnectors(byName.values()).build());
            out.onCompleted();
          }

          @Override
          public void onFailure(Throwable failure) {
            out.onError(Status.fromThrowable(failure).asRuntimeException());
          }
        },
        MoreExecutors.directExecutor());
  }

  private ListenableFuture<ListConnectorsResponse> localList(ListConnectorsRequest request) {
    SettableFuture<ListConnectorsResponse> answer = SettableFuture.create();
    local.listConnectors(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(ListConnectorsResponse value) {
            answer.set(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.setException(t);
          }

          @Override
          public void onCompleted() {}
        });
    return answer;
  }

  private static StatusRuntimeException unanswered(ServerNode node, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    return Status.UNAVAILABLE
        .withDescription(
            "node "
                + node.getId()
                + " ("
                + node.getHost()
                + ":"
                + node.getPort()
                + ") did not list its connectors: "
                + status.getCode()
                + " "
                + status.getDescription()
                + "; retry")
        .asRuntimeException();
  }

  /** Answered by the node that runs connector {@code name}. */
  private <Q, R> void atOwner(
      MethodDescriptor<Q, R> method,
      String name,
      Q request,
      StreamObserver<R> out,
      BiConsumer<Q, StreamObserver<R>> here) {
    calls.at(owners.ownerOf(name), method, request, out, here);
  }
}
