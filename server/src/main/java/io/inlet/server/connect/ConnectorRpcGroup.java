package io.inlet.server.connect;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
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
import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.api.hstream.ListConnectorsResponse;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResumeConnectorRequest;
import io.inlet.cdc.grpc.ConnectorRpcs;
import io.inlet.server.grpc.RpcGroup;
import java.util.Set;

/** The cdc module's connector methods as one of the server's {@link RpcGroup}s. */
final class ConnectorRpcGroup implements RpcGroup {
  private final ConnectorRpcs rpcs;

  ConnectorRpcGroup(ConnectorRpcs rpcs) {
    this.rpcs = rpcs;
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return rpcs.methods();
  }

  @Override
  public void createConnector(CreateConnectorRequest request, StreamObserver<Connector> out) {
    rpcs.createConnector(request, out);
  }

  @Override
  public void listConnectors(
      ListConnectorsRequest request, StreamObserver<ListConnectorsResponse> out) {
    rpcs.listConnectors(request, out);
  }

  @Override
  public void getConnector(GetConnectorRequest request, StreamObserver<Connector> out) {
    rpcs.getConnector(request, out);
  }

  @Override
  public void getConnectorSpec(
      GetConnectorSpecRequest request, StreamObserver<GetConnectorSpecResponse> out) {
    rpcs.getConnectorSpec(request, out);
  }

  @Override
  public void getConnectorLogs(
      GetConnectorLogsRequest request, StreamObserver<GetConnectorLogsResponse> out) {
    rpcs.getConnectorLogs(request, out);
  }

  @Override
  public void deleteConnector(DeleteConnectorRequest request, StreamObserver<Empty> out) {
    rpcs.deleteConnector(request, out);
  }

  @Override
  public void pauseConnector(PauseConnectorRequest request, StreamObserver<Empty> out) {
    rpcs.pauseConnector(request, out);
  }

  @Override
  public void resumeConnector(ResumeConnectorRequest request, StreamObserver<Empty> out) {
    rpcs.resumeConnector(request, out);
  }

  @Override
  public void alterConnectorConfig(AlterConnectorConfigRequest request, StreamObserver<Empty> out) {
    rpcs.alterConnectorConfig(request, out);
  }
}
