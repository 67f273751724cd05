package io.inlet.server.connect;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.Connector;
import io.inlet.api.hstream.CreateConnectorRequest;
import io.inlet.api.hstream.GetConnectorRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the connector tests: creating connectors, reading change records, waiting. */
public final class ConnectorTestSupport {
  private ConnectorTestSupport() {}

  public static Connector create(
      GrpcClient client, String name, String type, String target, String config) {
    return client
        .stub()
        .withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS)
        .createConnector(
            CreateConnectorRequest.newBuilder()
                .setName(name)
                .setType(type)
                .setTarget(target)
                .setConfig(config)
                .build());
  }

  public static Connector get(GrpcClient client, String name) {
    return client.stub().getConnector(GetConnectorRequest.newBuilder().setName(name).build());
  }

  public static String mariadbSource(String stream, String database, String table) {
    return connector(CdcDatabases.mariadb(), stream, database, table);
  }

  /** A PostgreSQL source (pgoutput) of {@code table} in the database inlet_cdc, as its owner. */
  public static String postgresSource(String stream, String table) {
    return connector(CdcDatabases.postgres(), stream, "inlet_cdc", table);
  }

  /** A PostgreSQL JDBC sink of {@code stream} into {@code table} of the database inlet_cdc. */
  public static String postgresSink(String stream, String table) {
    return connector(CdcDatabases.postgres(), stream, "inlet_cdc", table);
  }

  /** The config keys every connector of these tests has, as user inlet_cdc, quick to restart. */
  private static String connector(String hostPort, String stream, String database, String table) {
    return "{\"stream\":\""
        + stream
        + "\",\"host\":\""
        + CdcDatabases.host(hostPort)
        + "\",\"port\":"
        + CdcDatabases.port(hostPort)
        + ",\"user\":\"inlet_cdc\",\"password\":\"inlet_cdc\",\"database\":\""
        + database
        + "\",\"table\":\""
        + table
        + "\",\"restart.backoff.initial.ms\":200,\"restart.backoff.max.ms\":2000}";
  }

  /** A change record's fields, decoded. */
  public record Change(String op, Struct key, Struct value) {
    public double id() {
      return key.getFieldsOrThrow("id").getNumberValue();
    }

    public String field(String name) {
      Value v = value.getFieldsOrThrow(name);
      return v.hasStringValue() ? v.getStringValue() : String.valueOf(v.getNumberValue());
    }
  }

  public static List<Change> changes(GrpcClient client, String stream) {
    List<Change> out = new ArrayList<>();
    for (HStreamRecord record : StreamContents.records(client, stream)) {
      Struct s;
      try {
        s = Struct.parseFrom(record.getPayload());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      Value value = s.getFieldsOrThrow("value");
      out.add(
          new Change(
              s.getFieldsOrThrow("op").getStringValue(),
              s.getFieldsOrThrow("key").getStructValue(),
              value.hasStructValue() ? value.getStructValue() : null));
    }
    return out;
  }
}
