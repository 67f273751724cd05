package io.inlet.server.testing.clusterkill;

import io.inlet.testing.history.OperationHistory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a kill, one probe per affected shard appends a one-record batch to it again and again
 * (recorded in the history like any append), through the running nodes in turn, until one is
 * acknowledged: the time from the kill to that acknowledgement is the shard's time to recover.
 */
final class RecoveryProbes {
  private final LocalCluster cluster;
  private final OperationHistory history;
  private final long killNanos;
  private final Map<Long, Duration> recovered = new ConcurrentHashMap<>();
  private final LoadThreads threads = new LoadThreads();

  private RecoveryProbes(LocalCluster cluster, OperationHistory history, long killNanos) {
    this.cluster = cluster;
    this.history = history;
    this.killNanos = killNanos;
  }

  /**
   * Starts probing.
   *
   * @param shards the affected shards, each with its stream
   */
  static RecoveryProbes start(
      LocalCluster cluster,
      OperationHistory history,
      long killNanos,
      String round,
      Map<Long, String> shards) {
    RecoveryProbes probes = new RecoveryProbes(cluster, history, killNanos);
    for (Map.Entry<Long, String> shard : shards.entrySet()) {
      String client = "probe-" + round + "-s" + shard.getKey();
      probes.threads.start(client, () -> probes.run(client, shard.getValue(), shard.getKey()));
    }
    return probes;
  }

  private void run(String client, String stream, long shard) {
    int node = 0;
    for (long seq = 0; !threads.stopping(); seq++) {
      node = nextRunning(node);
      if (RecordedAppend.send(
          history, cluster.channel(node), client, stream, shard, List.of(client + "-" + seq))) {
        recovered.put(shard, Duration.ofNanos(System.nanoTime() - killNanos));
        return;
      }
      cluster.channel(node).resetConnectBackoff();
      node++;
      threads.pause(50);
    }
  }

  private int nextRunning(int from) {
    for (int i = 0; i < cluster.size(); i++) {
      int node = (from + i) % cluster.size();
      if (cluster.isAlive(node)) {
        return node;
      }
    }
    return from % cluster.size();
  }

  /**
   * Waits until every shard recovered or {@code timeout} passed, then stops the probes.
   *
   * @return each recovered shard's time to recover (a shard missing did not recover in time)
   */
  Map<Long, Duration> await(int shards, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (recovered.size() < shards && System.nanoTime() < deadline) {
      threads.pause(20);
    }
    threads.stop();
    return Map.copyOf(recovered);
  }
}
