package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The append path never waits for the cluster's catalog in its caller's thread (an MQTT event loop,
 * the gRPC executor): a stream this node does not have in memory is read from the metadata group,
 * and the append continues when the group answers. A node outside {@code metadata-nodes} whose
 * voters cannot be reached keeps asking them until the metadata request timeout: its appends return
 * at once, still pending, and then fail with UNAVAILABLE. Before, the call itself waited out the
 * timeout, holding the thread that made it and every connection on that event loop.
 */
class CatalogLookupIT {
  @TempDir Path dir;

  @Test
  void an_append_waiting_for_the_catalog_does_not_hold_its_caller() {
    String voters =
        String.join(
            ",",
            List.of(
                "1@127.0.0.1:" + FreePorts.one(),
                "2@127.0.0.1:" + FreePorts.one(),
                "3@127.0.0.1:" + FreePorts.one()));
    try (InletServer server =
        InletServer.start(
            ServerConfig.forTests(dir, Map.of("node-id", "9", "metadata-nodes", voters)))) {
      StreamAppender appender = server.appender();
      BatchedRecord batch = GrpcClient.batch(GrpcClient.rawRecords("k", "r", 1));

      CompletableFuture<AppendResult> byKey = appender.appendByKey("meters", "k", batch);
      CompletableFuture<AppendResult> byShard = appender.append("meters", 7, batch);
      assertThat(byKey).as("append by key while the voters are asked").isNotDone();
      assertThat(byShard).as("append to a shard while the voters are asked").isNotDone();

      for (CompletableFuture<AppendResult> append : List.of(byKey, byShard)) {
        Await.until("the catalog read gives up", Duration.ofMinutes(2), append::isDone);
        assertThat(append)
            .failsWithin(Duration.ZERO)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(StoreUnavailableException.class)
            .withMessageContaining("no leader backed by a majority");
      }
    }
  }
}
