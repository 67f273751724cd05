package io.inlet.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.ExecuteViewQueryRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the SQL ITs do through the RPCs: run statements, read result streams, wait for rows. */
final class SqlItClient {
  private SqlItClient() {}

  /** ExecuteQuery: the statement's rows. */
  static List<Struct> execute(GrpcClient grpc, String sql) {
    return grpc.stub()
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .executeQuery(CommandQuery.newBuilder().setStmtText(sql).build())
        .getResultSetList();
  }

  /** ExecuteViewQuery: a pull query's rows. */
  static List<Struct> pull(GrpcClient grpc, String sql) {
    return grpc.stub()
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .executeViewQuery(ExecuteViewQueryRequest.newBuilder().setSql(sql).build())
        .getResultsList();
  }

  /** Every record of a result stream, each a JSON record (a Struct). */
  static List<Struct> structs(GrpcClient grpc, String stream) {
    List<Struct> out = new ArrayList<>();
    for (HStreamRecord r : StreamContents.records(grpc, stream)) {
      assertThat(r.getHeader().getFlag()).isEqualTo(HStreamRecordHeader.Flag.JSON);
      out.add(struct(r));
    }
    return out;
  }

  static Struct struct(HStreamRecord r) {
    try {
      return Struct.parseFrom(r.getPayload());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static TaskStatusPB status(GrpcClient grpc, String query) {
    return grpc.stub().getQuery(GetQueryRequest.newBuilder().setId(query).build()).getStatus();
  }

  /** Waits (up to two minutes) until query {@code query} reports {@code status}. */
  static void awaitStatus(GrpcClient grpc, String query, TaskStatusPB status)
      throws InterruptedException {
    await(() -> status(grpc, query) == status ? List.of(status) : List.of(), 1);
  }

  /**
   * Waits (up to two minutes) until {@code read} returns at least {@code n} items, then a moment
   * more so that more than expected would show, and returns what {@code read} returns then.
   */
  static <T> List<T> await(Supplier<List<T>> read, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    List<T> last = List.of();
    while (System.nanoTime() < deadline) {
      last = read.get();
      if (last.size() >= n) {
        Thread.sleep(1500);
        return read.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("waited 2 minutes for " + n + " items; have " + last);
  }

  /** A QoS 1 publisher of sensor readings as JSON objects (topic {@code sensors/<device>}). */
  /** The value of {@code name}'s sample whose labels include query="{@code query}", if any. */
  static OptionalDouble querySample(InletServer server, String name, String query) {
    String scrape;
    try {
      scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (Exception e) {
      throw new AssertionError("GET /metrics failed", e);
    }
    Matcher m =
        Pattern.compile(
                "^"
                    + Pattern.quote(name)
                    + "\\{[^}]*query=\""
                    + Pattern.quote(query)
                    + "\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  static final class Publisher implements AutoCloseable {
    private final Mqtt5BlockingClient client;

    Publisher(int port, String clientId) {
      client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      client.connect();
    }

    void publish(String device, long ts, long v) {
      publishJson(device, "{\"device\":\"" + device + "\",\"ts\":" + ts + ",\"v\":" + v + "}");
    }

    void publishJson(String device, String json) {
      client
          .publishWith()
          .topic("sensors/" + device)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(json.getBytes(StandardCharsets.UTF_8))
          .send();
    }

    @Override
    public void close() {
      client.disconnect();
    }
  }
}
