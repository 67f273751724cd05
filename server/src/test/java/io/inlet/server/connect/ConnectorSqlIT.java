package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.cli.CliRun;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.testing.Await;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SQL form of HStream IO against a real MariaDB: {@code CREATE SOURCE CONNECTOR}, {@code SHOW
 * CONNECTORS}, {@code PAUSE|RESUME CONNECTOR} and {@code DROP CONNECTOR} through ExecuteQuery and
 * through {@code inlet sql -e}, with the connector RPCs' checks and errors.
 */
class ConnectorSqlIT extends MariadbNodeFixture {
  private String createSource(String name, String stream, String extra) {
    String mariadb = CdcDatabases.mariadb();
    return "CREATE SOURCE CONNECTOR "
        + name
        + " FROM mariadb WITH (host = '"
        + CdcDatabases.host(mariadb)
        + "', port = "
        + CdcDatabases.port(mariadb)
        + ", user = 'inlet_cdc', password = 'inlet_cdc', database = '"
        + database
        + "', \"table\" = 'orders', stream = '"
        + stream
        + "'"
        + extra
        + ");";
  }

  @Test
  void a_source_created_in_sql_delivers_and_is_shown_paused_resumed_and_dropped() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(
          db,
          "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))",
          "INSERT INTO orders VALUES (1, 'apple'), (2, 'pear')");

      List<Struct> created = executeQuery(createSource("orders_cdc", "orders", ""));
      assertThat(created).hasSize(1);
      assertThat(text(created.get(0), "name")).isEqualTo("orders_cdc");
      assertThat(text(created.get(0), "type")).isEqualTo("SOURCE");
      assertThat(text(created.get(0), "target")).isEqualTo("mariadb");
      Await.until(
          "the snapshot", Duration.ofSeconds(60), () -> changes(client, "orders").size() >= 2);

      // IF NOT EXIST leaves the running connector alone; without it, the name is taken.
      assertThat(
              executeQuery(
                  createSource("orders_cdc", "other", "")
                      .replace("FROM mariadb", "FROM mariadb IF NOT EXIST")))
          .isEmpty();
      assertRefused(createSource("orders_cdc", "other", ""), Status.Code.ALREADY_EXISTS, "exists");

      List<Struct> shown = executeQuery("SHOW CONNECTORS;");
      assertThat(shown).extracting(r -> text(r, "name")).containsExactly("orders_cdc");
      assertThat(text(shown.get(0), "status")).isEqualTo("RUNNING");

      executeQuery("PAUSE CONNECTOR orders_cdc;");
      assertThat(get(client, "orders_cdc").getStatus()).isEqualTo("PAUSED");
      execute(db, "INSERT INTO orders VALUES (3, 'plum')");
      executeQuery("RESUME CONNECTOR orders_cdc;");
      Await.until(
          "the insert", Duration.ofSeconds(60), () -> changes(client, "orders").size() >= 3);
      assertThat(changes(client, "orders")).extracting(Change::op).containsExactly("r", "r", "c");

      CliRun show = sql("SHOW CONNECTORS;");
      assertThat(show.exitCode()).as(show.toString()).isZero();
      assertThat(show.out()).contains("orders_cdc").contains("mariadb").contains("1 row");

      CliRun drop = sql("DROP CONNECTOR orders_cdc;");
      assertThat(drop.exitCode()).as(drop.toString()).isZero();
      assertThat(connectorNames()).isEmpty();
      assertRefused("DROP CONNECTOR orders_cdc;", Status.Code.NOT_FOUND, "orders_cdc");
      assertThat(executeQuery("DROP CONNECTOR orders_cdc IF EXISTS;")).isEmpty();

      // The stream and its records stay after the connector is gone.
      assertThat(changes(client, "orders")).hasSize(3);
    }
  }

  @Test
  void the_shell_creates_a_source_and_bad_options_are_refused_naming_the_key() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))");
    }
    String good = createSource("shop", "shop_orders", "");

    assertRefused(
        good.replace("port = " + CdcDatabases.port(CdcDatabases.mariadb()), "port = 'x'"),
        Status.Code.INVALID_ARGUMENT,
        "key \"port\" must be an integer");
    assertRefused(
        createSource("shop", "shop_orders", ", \"snapshot.mode\" = 'sometimes'"),
        Status.Code.INVALID_ARGUMENT,
        "snapshot.mode");
    assertRefused(
        good.replace("FROM mariadb", "FROM oracle"), Status.Code.INVALID_ARGUMENT, "oracle");
    assertThat(connectorNames()).isEmpty();

    CliRun bad = sql(good.replace("FROM mariadb", "FROM oracle"));
    assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
    assertThat(bad.err()).contains("oracle");

    CliRun created = sql(good);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("shop").contains("SOURCE");
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "INSERT INTO orders VALUES (7, 'fig')");
    }
    Await.until(
        "the insert", Duration.ofSeconds(60), () -> changes(client, "shop_orders").size() >= 1);
    assertThat(changes(client, "shop_orders").get(0).field("item")).isEqualTo("fig");
    assertThat(connectorNames()).containsExactly("shop");
  }

  private CliRun sql(String statement) {
    return CliRun.run("--server", "127.0.0.1:" + server.grpcPort(), "sql", "-e", statement);
  }

  private List<Struct> executeQuery(String sql) {
    return client
        .stub()
        .withDeadlineAfter(180, TimeUnit.SECONDS)
        .executeQuery(CommandQuery.newBuilder().setStmtText(sql).build())
        .getResultSetList();
  }

  private List<String> connectorNames() {
    return client
        .stub()
        .listConnectors(ListConnectorsRequest.getDefaultInstance())
        .getConnectorsList()
        .stream()
        .map(c -> c.getName())
        .toList();
  }

  private void assertRefused(String sql, Status.Code code, String mention) {
    assertThatThrownBy(() -> executeQuery(sql))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(message(e)).contains(mention);
            });
  }

  /** The message of the node's JSON error body. */
  private static String message(StatusRuntimeException e) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(e.getStatus().getDescription())
          .get("message")
          .asText();
    } catch (java.io.IOException io) {
      throw new AssertionError(io);
    }
  }

  private static String text(Struct row, String field) {
    return row.getFieldsOrThrow(field).getStringValue();
  }
}
