package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.subscription.TestConsumer.Delivered;
import io.inlet.server.testing.BrokenShardStore;
import io.inlet.server.testing.GrpcClient;
import io.inlet.store.StreamStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard whose reads fail (a corrupt file, a failing disk) holds back only itself: the
 * subscription keeps delivering the stream's other shards, and picks the failed shard up again once
 * it reads.
 */
class ShardFailureIsolationIT {
  @TempDir Path dir;
  private InletServer server;
  private BrokenShardStore store;
  private GrpcClient client;

  @BeforeEach
  void start() {
    AtomicReference<BrokenShardStore> opened = new AtomicReference<>();
    server =
        InletServer.builder(ServerConfig.forTests(dir))
            .storeOpener(
                options -> {
                  opened.set(new BrokenShardStore(StreamStore.open(options)));
                  return opened.get();
                })
            .start();
    store = opened.get();
    client = new GrpcClient(server.grpcPort());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void a_shard_that_cannot_be_read_does_not_stop_the_others() {
    client.createStream("s", 2);
    List<Long> shards = client.shardIds("s");
    long broken = shards.get(0);
    long healthy = shards.get(1);
    client.append("s", broken, "x", 3);
    client.append("s", healthy, "h", 3);
    store.breakShard(broken, new StoreUnavailableException("cannot read shard: I/O error (test)"));
    client.subscribe("sub", "s", 60, 100);
    try (TestConsumer consumer = new TestConsumer(client.async, "sub", "c", true)) {
      consumer.awaitRecords(3);
      client.append("s", healthy, "later", 2);
      List<Delivered> delivered = consumer.awaitRecords(5);
      assertThat(delivered)
          .extracting(Delivered::payload)
          .containsExactly("h0", "h1", "h2", "later0", "later1");
      assertThat(consumer.error()).isNull();

      // A corrupt value (today's store throws IllegalStateException for one) is no different.
      store.breakShard(broken, new IllegalStateException("stored batch 1 of shard is corrupt"));
      client.append("s", healthy, "more", 1);
      consumer.awaitRecords(6);
      assertThat(consumer.error()).isNull();

      store.heal(broken);
      List<Delivered> all = consumer.awaitRecords(9, Duration.ofSeconds(30));
      assertThat(all).extracting(Delivered::payload).contains("x0", "x1", "x2");
      assertThat(consumer.error()).isNull();
    }
  }
}
