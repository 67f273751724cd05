package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.Stream;
import io.inlet.testing.history.HistoryChecker;
import io.inlet.testing.history.HistoryVerdict;
import io.inlet.testing.history.OperationHistory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rolling restart drill: N node processes ({@link LocalCluster}), two streams with the plan's
 * replication factor, gRPC Append clients through every node and MQTT QoS 1 publishers, every
 * attempt recorded in an {@link OperationHistory}. Each node in turn is stopped with SIGTERM and
 * started again on the same data dir and ports, the load running throughout. Each restart must keep
 * the service answering: every shard takes appends through the running nodes within the plan's
 * bound of the node's exit ({@link RecoveryProbes}), and through the restarted node within the
 * bound of its {@code /ready}. The appends that failed or ended unknown in each restart's window
 * are counted. At the end every shard is read through the node LookupShard names and the history is
 * checked ({@link HistoryChecker}).
 */
public final class RollingRestartDrill {
  private static final String APPEND_STREAM = ClusterKillDrill.APPEND_STREAM;
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final RollingRestartPlan plan;
  private final PrintStream progress;
  private final OperationHistory history = new OperationHistory();
  private final List<String> findings = new ArrayList<>();
  private final List<String> rounds = new ArrayList<>();
  private final List<Long> othersTookMillis = new ArrayList<>();
  private final List<Long> restartedTookMillis = new ArrayList<>();
  private final List<Long> windowUnacknowledged = new ArrayList<>();
  private long crashes;

  private RollingRestartDrill(RollingRestartPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /**
   * Runs the drill.
   *
   * @param progress where each step is told as it happens
   */
  public static ClusterKillReport run(RollingRestartPlan plan, PrintStream progress)
      throws Exception {
    return new RollingRestartDrill(plan, progress).run();
  }

  private ClusterKillReport run() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    try (LocalCluster cluster = new LocalCluster(plan.nodes(), plan.workDir(), plan.serverArgs())) {
      for (int i = 0; i < cluster.size(); i++) {
        cluster.spawn(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.awaitReady(i, LocalCluster.START_TIMEOUT);
      }
      if (!cluster.awaitAllRunning(CONVERGE)) {
        findings.add("at start: not every node listed every node Running");
      }
      createStream(cluster.channel(0), APPEND_STREAM);
      createStream(cluster.channel(0), MqttPublishers.STREAM);
      List<Long> appendShards = ShardOwners.shardIds(cluster.channel(0), APPEND_STREAM);
      Map<Long, String> streamOf = new LinkedHashMap<>();
      appendShards.forEach(s -> streamOf.put(s, APPEND_STREAM));
      ShardOwners.shardIds(cluster.channel(0), MqttPublishers.STREAM)
          .forEach(s -> streamOf.put(s, MqttPublishers.STREAM));

      AppendClients appends = new AppendClients(cluster, history, APPEND_STREAM, appendShards);
      MqttPublishers mqtt = new MqttPublishers(cluster, history);
      appends.start(plan.appendClientsPerNode(), 1);
      mqtt.start(plan.mqttClientsPerNode());

      for (int node = 0; node < cluster.size(); node++) {
        Thread.sleep(plan.loadBetween().toMillis()); // the load runs between restarts
        restart(cluster, node, streamOf);
      }

      appends.stop();
      mqtt.stop();
      figures.put("append_acknowledged", appends.acknowledged());
      figures.put("mqtt_acknowledged", mqtt.acknowledged());
      figures.put("mqtt_reconnects", mqtt.reconnects());
      List<Long> all = new ArrayList<>(streamOf.keySet());
      long read = FinalReads.readAll(cluster.channel(0), all, history);
      say("read %d records from %d shards", read, all.size());
    }
    HistoryVerdict verdict = HistoryChecker.check(history);
    List<String> allFindings = new ArrayList<>(verdict.findings());
    allFindings.addAll(findings);
    figures.put("nodes", plan.nodes());
    figures.put("replication_factor", plan.replicationFactor());
    figures.put("stored", verdict.stored());
    figures.put("unknown", verdict.unknown());
    figures.put("ids_twice", verdict.idsHandedOutTwice());
    figures.put("read_twice", verdict.readTwice());
    figures.put("out_of_order", verdict.outOfOrder());
    figures.put("others_take_ms_max", ClusterKillDrill.percentile(othersTookMillis, 100));
    figures.put("restarted_takes_ms_max", ClusterKillDrill.percentile(restartedTookMillis, 100));
    figures.put(
        "window_unacknowledged_max", ClusterKillDrill.percentile(windowUnacknowledged, 100));
    return new ClusterKillReport(verdict, crashes, rounds, figures, allFindings);
  }

  /** Restarts node {@code index} under load and checks the service answered throughout. */
  private void restart(LocalCluster cluster, int index, Map<Long, String> streamOf)
      throws Exception {
    int nodeId = LocalCluster.nodeId(index);
    long acknowledgedBefore = history.acknowledgedRecords();
    long unacknowledgedBefore = unacknowledgedAttempts();
    long stopping = System.nanoTime();
    String stopped;
    try {
      int code = cluster.terminate(index, STOP_TIMEOUT);
      stopped = "exited " + code + " " + millisSince(stopping) + " ms after SIGTERM";
    } catch (IllegalStateException e) {
      findings.add("node " + nodeId + " did not exit within " + STOP_TIMEOUT + " of SIGTERM");
      stopped = "killed: no exit within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM";
    }
    // Down now: the probes go through the running nodes only.
    RecoveryProbes others =
        RecoveryProbes.start(cluster, history, System.nanoTime(), "restart-n" + nodeId, streamOf);
    Map<Long, Duration> took = others.await(streamOf.size(), plan.bound());
    if (took.size() < streamOf.size()) {
      findings.add(
          "node "
              + nodeId
              + " restarting: "
              + (streamOf.size() - took.size())
              + " shards took no append through the running nodes within "
              + plan.bound().toSeconds()
              + " s of its exit");
    }
    took.values().forEach(d -> othersTookMillis.add(d.toMillis()));

    cluster.spawn(index);
    long spawned = System.nanoTime();
    String ready;
    long throughIt = -1;
    try {
      cluster.awaitReady(index, LocalCluster.START_TIMEOUT);
      ready = "ready " + millisSince(spawned) + " ms after its start";
      long readyAt = System.nanoTime();
      if (appendThroughEveryShard(cluster, index, streamOf, plan.bound())) {
        throughIt = millisSince(readyAt);
        restartedTookMillis.add(throughIt);
      } else {
        findings.add(
            "node "
                + nodeId
                + " restarted: not every shard took an append through it within "
                + plan.bound().toSeconds()
                + " s of /ready");
      }
    } catch (IllegalStateException e) {
      crashes++;
      findings.add("node " + nodeId + " did not start again: " + e.getMessage());
      ready = "did not start again";
    }
    if (!cluster.awaitAllRunning(CONVERGE)) {
      findings.add("after node " + nodeId + "'s restart: not every node listed every node Running");
    }
    long acknowledged = history.acknowledgedRecords() - acknowledgedBefore;
    long unacknowledged = unacknowledgedAttempts() - unacknowledgedBefore;
    windowUnacknowledged.add(unacknowledged);
    String line =
        String.format(
            "node %d: %s; every shard took appends through the others %s ms after its exit; %s;"
                + " every shard took an append through it %d ms after that; in the window %d"
                + " records acknowledged, %d attempts failed or unknown",
            nodeId,
            stopped,
            took.values().stream().map(d -> Long.toString(d.toMillis())).sorted().toList(),
            ready,
            throughIt,
            acknowledged,
            unacknowledged);
    rounds.add(line);
    say("%s", line);
  }

  /** Appends to each shard through node {@code index} until acknowledged; false past the bound. */
  private boolean appendThroughEveryShard(
      LocalCluster cluster, int index, Map<Long, String> streamOf, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    String client = "after-restart-n" + LocalCluster.nodeId(index);
    long seq = 0;
    ManagedChannel channel = cluster.channel(index);
    for (Map.Entry<Long, String> shard : streamOf.entrySet()) {
      while (!RecordedAppend.send(
          history,
          channel,
          client,
          shard.getValue(),
          shard.getKey(),
          List.of(client + "-" + seq++))) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        channel.resetConnectBackoff();
        try {
          Thread.sleep(100); // the next attempt after a failed one
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private long unacknowledgedAttempts() {
    return history.attempts().stream().filter(a -> !a.acknowledged()).count();
  }

  private void createStream(ManagedChannel channel, String name) {
    Stream created =
        HStreamApiGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .createStream(
                Stream.newBuilder()
                    .setStreamName(name)
                    .setShardCount(plan.shards())
                    .setReplicationFactor(plan.replicationFactor())
                    .build());
    say(
        "created stream %s: %d shards, replication factor %d",
        name, created.getShardCount(), created.getReplicationFactor());
  }

  private void say(String format, Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
