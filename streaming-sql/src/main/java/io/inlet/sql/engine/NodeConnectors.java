package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.Connector;
import io.inlet.api.hstream.CreateConnectorRequest;
import io.inlet.api.hstream.DeleteConnectorRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResumeConnectorRequest;
import io.inlet.sql.engine.NodeStreams.NodeCallException;
import io.inlet.sql.statement.CreateConnector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The connector statements ({@code CREATE SOURCE|SINK CONNECTOR}, {@code SHOW CONNECTORS}, {@code
 * DROP|PAUSE|RESUME CONNECTOR}) as calls to the node's own connector RPCs over its in-process
 * channel: the same checks, the same errors (the offending config key named) and the same runtime
 * as CreateConnector and {@code ./inlet connector}, without the SQL engine knowing how connectors
 * run.
 */
final class NodeConnectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A create checks the source database (Debezium connects to it), which may take a while. */
  private static final long CREATE_DEADLINE_SECONDS = 120;

  private static final long DEADLINE_SECONDS = 60;

  private final Channel channel;

  NodeConnectors(Channel channel) {
    this.channel = channel;
  }

  private HStreamApiGrpc.HStreamApiBlockingStub stub(long seconds) {
    return HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }

  /**
   * Creates the connector; its row. With IF NOT EXIST an existing connector of that name is left as
   * it is and nothing is returned.
   */
  List<Struct> create(CreateConnector statement) {
    ObjectNode config = JSON.createObjectNode();
    statement.options().forEach(config::put);
    CreateConnectorRequest request =
        CreateConnectorRequest.newBuilder()
            .setName(statement.name())
            .setType(statement.source() ? "SOURCE" : "SINK")
            .setTarget(statement.type())
            .setConfig(config.toString())
            .build();
    try {
      return List.of(row(call(() -> stub(CREATE_DEADLINE_SECONDS).createConnector(request))));
    } catch (NodeCallException e) {
      if (statement.ifNotExists() && refusedWith(e, ErrorCode.ConnectorExists)) {
        return List.of();
      }
      throw e;
    }
  }

  List<Struct> list() {
    List<Struct> rows = new ArrayList<>();
    for (Connector c :
        call(
            () ->
                stub(DEADLINE_SECONDS)
                    .listConnectors(ListConnectorsRequest.getDefaultInstance())
                    .getConnectorsList())) {
      rows.add(row(c));
    }
    return rows;
  }

  void delete(String name, boolean ifExists) {
    try {
      call(
          () ->
              stub(DEADLINE_SECONDS)
                  .deleteConnector(DeleteConnectorRequest.newBuilder().setName(name).build()));
    } catch (NodeCallException e) {
      if (!(ifExists && refusedWith(e, ErrorCode.ConnectorNotFound))) {
        throw e;
      }
    }
  }

  void pause(String name) {
    call(
        () ->
            stub(DEADLINE_SECONDS)
                .pauseConnector(PauseConnectorRequest.newBuilder().setName(name).build()));
  }

  void resume(String name) {
    call(
        () ->
            stub(DEADLINE_SECONDS)
                .resumeConnector(ResumeConnectorRequest.newBuilder().setName(name).build()));
  }

  static Struct row(Connector c) {
    Struct.Builder out =
        Struct.newBuilder()
            .putFields("name", StatementRunner.text(c.getName()))
            .putFields("type", StatementRunner.text(c.getType()))
            .putFields("target", StatementRunner.text(c.getTarget()))
            .putFields("status", StatementRunner.text(c.getStatus()))
            .putFields(
                "created_time",
                StatementRunner.text(
                    Instant.ofEpochSecond(
                            c.getCreationTime().getSeconds(), c.getCreationTime().getNanos())
                        .toString()))
            .putFields("node", StatementRunner.text(c.getNode()));
    if (!c.getDockerStatus().isEmpty()) {
      out.putFields("error", StatementRunner.text(c.getDockerStatus()));
    }
    return out.build();
  }

  /** Whether the node refused the call with HStreamDB error {@code code} in its JSON message. */
  private static boolean refusedWith(NodeCallException e, ErrorCode code) {
    String description = e.status().getStatus().getDescription();
    return description != null
        && description.replace(" ", "").contains("\"error\":" + code.getNumber());
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw new NodeCallException(e);
    }
  }
}
