package io.inlet.cdc.grpc;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
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
import io.inlet.api.record.HStreamRecords;
import io.inlet.cdc.ConnectorRuntime;
import io.inlet.cdc.ConnectorView;
import io.inlet.cdc.runtime.ConnectorStatus;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HStreamApi's connector methods (HStream IO) on the {@link ConnectorRuntime}. The server serves
 * the methods in {@link #methods()} through this class. Calls that touch a database (create checks
 * the source, pause and delete wait for the task) run on {@code executor}, never on a gRPC thread
 * of the transport; failures become statuses through {@code errors}.
 *
 * <p>{@code Connector.status} is NEW, RUNNING, PAUSED or FAILED; for FAILED, {@code dockerStatus}
 * (HStreamDB's field for the state of what runs the connector) says when and why it last failed.
 */
public final class ConnectorRpcs implements HStreamApiGrpc.AsyncService {
  private final ConnectorRuntime runtime;
  private final Executor executor;
  private final Function<Throwable, StatusRuntimeException> errors;
  private final String node;

  public ConnectorRpcs(
      ConnectorRuntime runtime,
      Executor executor,
      Function<Throwable, StatusRuntimeException> errors,
      String node) {
    this.runtime = runtime;
    this.executor = executor;
    this.errors = errors;
    this.node = node;
  }

  /** The HStreamApi methods this class serves. */
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getCreateConnectorMethod(),
        HStreamApiGrpc.getListConnectorsMethod(),
        HStreamApiGrpc.getGetConnectorMethod(),
        HStreamApiGrpc.getGetConnectorSpecMethod(),
        HStreamApiGrpc.getGetConnectorLogsMethod(),
        HStreamApiGrpc.getDeleteConnectorMethod(),
        HStreamApiGrpc.getPauseConnectorMethod(),
        HStreamApiGrpc.getResumeConnectorMethod(),
        HStreamApiGrpc.getAlterConnectorConfigMethod());
  }

  @Override
  public void createConnector(CreateConnectorRequest request, StreamObserver<Connector> out) {
    call(
        out,
        () ->
            toProto(
                runtime.create(
                    request.getName(),
                    request.getType(),
                    request.getTarget(),
                    request.getConfig())));
  }

  @Override
  public void listConnectors(
      ListConnectorsRequest request, StreamObserver<ListConnectorsResponse> out) {
    call(
        out,
        () -> {
          ListConnectorsResponse.Builder response = ListConnectorsResponse.newBuilder();
          runtime.list().forEach(v -> response.addConnectors(toProto(v)));
          return response.build();
        });
  }

  @Override
  public void getConnector(GetConnectorRequest request, StreamObserver<Connector> out) {
    call(out, () -> toProto(runtime.get(request.getName())));
  }

  @Override
  public void getConnectorSpec(
      GetConnectorSpecRequest request, StreamObserver<GetConnectorSpecResponse> out) {
    call(
        out,
        () ->
            GetConnectorSpecResponse.newBuilder()
                .setSpec(ConnectorRuntime.spec(request.getType(), request.getTarget()))
                .build());
  }

  @Override
  public void getConnectorLogs(
      GetConnectorLogsRequest request, StreamObserver<GetConnectorLogsResponse> out) {
    call(
        out,
        () ->
            GetConnectorLogsResponse.newBuilder()
                .setLogs(runtime.logs(request.getName(), request.getBegin(), request.getCount()))
                .build());
  }

  @Override
  public void deleteConnector(DeleteConnectorRequest request, StreamObserver<Empty> out) {
    call(
        out,
        () -> {
          runtime.delete(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void pauseConnector(PauseConnectorRequest request, StreamObserver<Empty> out) {
    call(
        out,
        () -> {
          runtime.pause(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void resumeConnector(ResumeConnectorRequest request, StreamObserver<Empty> out) {
    call(
        out,
        () -> {
          runtime.resume(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void alterConnectorConfig(AlterConnectorConfigRequest request, StreamObserver<Empty> out) {
    call(
        out,
        () -> {
          runtime.alter(request.getName(), request.getConfig());
          return Empty.getDefaultInstance();
        });
  }

  Connector toProto(ConnectorView view) {
    Connector.Builder out =
        Connector.newBuilder()
            .setName(view.name())
            .setType(view.type().name())
            .setTarget(view.target().id())
            .setCreationTime(
                Timestamp.newBuilder()
                    .setSeconds(view.createdAt().getEpochSecond())
                    .setNanos(view.createdAt().getNano()))
            .setStatus(view.status().state().name())
            .setConfig(ConfigJson.write(view.config()))
            .setTaskId(view.name())
            .setNode(node);
    if (view.status().state() == ConnectorStatus.State.FAILED) {
      out.setDockerStatus("failed at " + view.status().since() + ": " + view.status().cause());
    }
    for (String offset : view.offsets()) {
      try {
        out.addOffsets(HStreamRecords.structFromJson(offset));
      } catch (IllegalArgumentException e) {
        // An offset that is not a JSON object is not shown.
      }
    }
    return out.build();
  }

  private <T> void call(StreamObserver<T> out, Supplier<T> body) {
    try {
      executor.execute(
          () -> {
            T result;
            try {
              result = body.get();
            } catch (RuntimeException e) {
              out.onError(errors.apply(e));
              return;
            }
            out.onNext(result);
            out.onCompleted();
          });
    } catch (RejectedExecutionException e) {
      out.onError(errors.apply(e));
    }
  }
}
