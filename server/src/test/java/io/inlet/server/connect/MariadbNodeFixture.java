package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;

import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What most connector ITs start from: a node on a fresh data directory with a gRPC client to it,
 * and a fresh MariaDB database, dropped after the test. A subclass's own {@code @BeforeEach}
 * methods run once these are ready, its {@code @AfterEach} methods before they are closed.
 */
abstract class MariadbNodeFixture {
  @TempDir Path dataDir;
  InletServer server;
  GrpcClient client;
  String database;

  @BeforeEach
  final void startNodeAndDatabase() throws Exception {
    database = CdcDatabases.newMariadbDatabase();
    server = InletServer.start(ServerConfig.forTests(dataDir));
    client = new GrpcClient(server.grpcPort());
  }

  @AfterEach
  final void stopNodeAndDropDatabase() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (database != null) {
      try (Connection c = CdcDatabases.mariadbRoot()) {
        execute(c, "DROP DATABASE IF EXISTS " + database);
      }
    }
  }
}
