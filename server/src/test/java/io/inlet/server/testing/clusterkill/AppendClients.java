package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.inlet.testing.history.OperationHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC Append clients, each bound to one node: one batch at a time (a single record half the time,
 * else 2 to 5), to a shard chosen at random, recorded in the history. After an error a client
 * pauses 100 ms and resets its channel's reconnect backoff, so it is back as soon as its node is.
 */
final class AppendClients {
  private final LocalCluster cluster;
  private final OperationHistory history;
  private final String stream;
  private final List<Long> shardIds;
  private final AtomicLong acknowledged = new AtomicLong();
  private final LoadThreads threads = new LoadThreads();

  AppendClients(
      LocalCluster cluster, OperationHistory history, String stream, List<Long> shardIds) {
    this.cluster = cluster;
    this.history = history;
    this.stream = stream;
    this.shardIds = List.copyOf(shardIds);
  }

  void start(int perNode, long seed) {
    for (int node = 0; node < cluster.size(); node++) {
      for (int c = 0; c < perNode; c++) {
        String client = "append-n" + LocalCluster.nodeId(node) + "-c" + c;
        int index = node;
        SplittableRandom random = new SplittableRandom(seed * 1_000 + node * 100L + c);
        threads.start(client, () -> run(client, index, random));
      }
    }
  }

  private void run(String client, int node, SplittableRandom random) {
    long seq = 0;
    while (!threads.stopping()) {
      int count = random.nextBoolean() ? 1 : 2 + random.nextInt(4);
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        payloads.add(client + "-" + seq++);
      }
      long shard = shardIds.get(random.nextInt(shardIds.size()));
      ManagedChannel channel = cluster.channel(node);
      if (RecordedAppend.send(history, channel, client, stream, shard, payloads)) {
        acknowledged.addAndGet(count);
      } else {
        threads.pause(100);
        channel.resetConnectBackoff();
      }
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  void stop() throws InterruptedException {
    threads.stop();
  }
}
