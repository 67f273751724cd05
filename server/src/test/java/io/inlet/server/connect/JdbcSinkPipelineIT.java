package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.SinkChanges.delete;
import static io.inlet.server.connect.SinkChanges.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.cdc.ConnectorView;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC sink applies a transaction on a writer thread while its loop decodes the next ones. What
 * that must not break: the changes of one key apply in stream order across transactions, and a
 * transaction the database fails stops every later one (and their positions) until it succeeds.
 */
class JdbcSinkPipelineIT {
  private static final String STREAM = "pipe";
  private static final String TABLE = "sink_pipe";

  @TempDir Path dataDir;
  private InletServer server;
  private GrpcClient client;
  private long shard;

  @BeforeEach
  void start() throws Exception {
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(
          pg,
          "DROP TABLE IF EXISTS " + TABLE,
          "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
    }
    server = InletServer.start(ServerConfig.forTests(dataDir));
    client = new GrpcClient(server.grpcPort());
    client.createStream(STREAM, 1);
    shard = client.shardIds(STREAM).get(0);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(pg, "DROP TABLE IF EXISTS " + TABLE, "DROP FUNCTION IF EXISTS sink_pipe_boom()");
    }
  }

  @Test
  void changes_to_one_key_in_consecutive_transactions_apply_in_stream_order() throws Exception {
    Map<Integer, String> expected = new TreeMap<>();
    // Two changes per batch, one batch per transaction: an update then a delete of the same key
    // (and a delete then a re-insert) fall in consecutive transactions, which the sink's loop has
    // decoded before the first of them is committed.
    List<List<String>> batches = SinkChanges.random(new Random(11), 300, 2, 8, expected);
    batches.add(List.of(upsert(100, "update", 1), upsert(100, "updated", 2)));
    batches.add(List.of(delete(100), upsert(101, "kept", 3)));
    expected.put(101, "101|kept|3");
    for (List<String> batch : batches.subList(0, 150)) {
      append(batch);
    }
    create(client, "pipe-pg", "sink", "postgresql", sinkConfig(2));
    for (List<String> batch : batches.subList(150, batches.size())) {
      append(batch);
    }

    List<String> want = new ArrayList<>(expected.values());
    Await.until(
        "the table to end as the stream says", Duration.ofSeconds(60), () -> want.equals(rows()));
    assertThat(rows()).isEqualTo(want);
  }

  @Test
  void upserts_and_deletes_mixed_within_one_transaction_apply_in_stream_order() throws Exception {
    // Deletes between upserts of a few keys in one transaction: the upsert statement comes back
    // after the delete statement, so its rows cannot be bound ahead into one batch without
    // reordering them, and runs of upserts repeat keys.
    Map<Integer, String> expected = new TreeMap<>();
    for (List<String> batch : SinkChanges.random(new Random(23), 40, 15, 6, expected)) {
      append(batch);
    }
    // The last transaction's rows alone: an upsert, a delete and an upsert of one key.
    append(List.of(upsert(50, "first", 1), delete(50), upsert(50, "again", 2)));
    expected.put(50, "50|again|2");

    create(client, "pipe-pg", "sink", "postgresql", sinkConfig(1000));

    Await.until(
        "the sink to write every change", Duration.ofSeconds(60), () -> view().records() >= 603);
    assertThat(rows()).isEqualTo(new ArrayList<>(expected.values()));
    // Upserts of one key in one run are sent once, as the last of them: a batch holding a key
    // twice is refused by PostgreSQL and the transaction redone record by record.
    assertThat(server.connectors().runtime().logs("pipe-pg", 0, 1000))
        .doesNotContain("record by record");
  }

  @Test
  void a_failed_transaction_stops_the_later_ones_and_their_positions_until_it_succeeds()
      throws Exception {
    try (Connection pg = CdcDatabases.postgresCdc()) {
      // A row named "boom" kills the sink's own database session mid-transaction: a real lost
      // connection, every time the transaction is tried, until the function is replaced.
      execute(
          pg,
          "CREATE FUNCTION sink_pipe_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF"
              + " NEW.name = 'boom' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;"
              + " RETURN NEW; END $$",
          "CREATE TRIGGER sink_pipe_boom BEFORE INSERT OR UPDATE ON "
              + TABLE
              + " FOR EACH ROW EXECUTE FUNCTION sink_pipe_boom()");
    }
    append(List.of(upsert(1, "a", 1), upsert(2, "b", 2)));
    long failing = append(List.of(upsert(3, "c", 3), upsert(4, "boom", 4)));
    append(List.of(upsert(5, "e", 5), upsert(6, "f", 6)));
    append(List.of(delete(1), upsert(7, "g", 7)));
    create(client, "pipe-pg", "sink", "postgresql", sinkConfig(2));

    Await.until(
        "the sink to fail on the same transaction twice",
        Duration.ofSeconds(60),
        () -> view().errors() >= 2);
    assertThat(rows()).containsExactly("1|a|1", "2|b|2");
    for (long stored : storedPositions(view())) {
      assertThat(stored).isLessThanOrEqualTo(failing);
    }

    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(
          pg,
          "CREATE OR REPLACE FUNCTION sink_pipe_boom() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN RETURN NEW; END $$");
    }
    List<String> want = List.of("2|b|2", "3|c|3", "4|boom|4", "5|e|5", "6|f|6", "7|g|7");
    Await.until("the table after recovery", Duration.ofSeconds(60), () -> want.equals(rows()));
    assertThat(view().deadLettered()).isZero();
  }

  private String sinkConfig(int batchSize) {
    return "{\"stream\":\""
        + STREAM
        + "\",\"host\":\""
        + CdcDatabases.host(CdcDatabases.postgres())
        + "\",\"port\":"
        + CdcDatabases.port(CdcDatabases.postgres())
        + ",\"user\":\"inlet_cdc\",\"password\":\"inlet_cdc\",\"database\":\"inlet_cdc\","
        + "\"table\":\""
        + TABLE
        + "\",\"batch.size\":"
        + batchSize
        + ",\"restart.backoff.initial.ms\":100,\"restart.backoff.max.ms\":500}";
  }

  private ConnectorView view() {
    return server.connectors().runtime().get("pipe-pg");
  }

  private static List<Long> storedPositions(ConnectorView view) {
    List<Long> out = new ArrayList<>();
    Pattern next = Pattern.compile("\"nextLsn\":(\\d+)");
    for (String offset : view.offsets()) {
      Matcher m = next.matcher(offset);
      assertThat(m.find()).as(offset).isTrue();
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  /** Appends one batch of change records; returns its LSN. */
  private long append(List<String> changes) {
    return SinkChanges.append(client, STREAM, shard, changes);
  }

  private static List<String> rows() {
    List<String> out = new ArrayList<>();
    try (Connection pg = CdcDatabases.postgresCdc();
        Statement s = pg.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM " + TABLE + " ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getObject(3));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
