package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.Stream;
import io.inlet.testing.history.HistoryChecker;
import io.inlet.testing.history.HistoryVerdict;
import io.inlet.testing.history.OperationHistory;
import io.inlet.testing.history.StoredRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cluster kill drill, shared by {@code bench/run.sh drill cluster-kill} and {@code
 * ClusterKillIT}: N node processes ({@link LocalCluster}), two streams created with the plan's
 * replication factor, gRPC Append clients through every node and MQTT QoS 1 publishers, every
 * attempt recorded in an {@link OperationHistory}. Each round kills a node chosen at random with
 * SIGKILL while the load runs, probes the shards it led until appends to them are acknowledged
 * again ({@link RecoveryProbes}), restarts it after {@link ClusterKillPlan#down()} and waits until
 * it is ready. At the end every shard is read through the node LookupShard names and the history is
 * checked ({@link HistoryChecker}).
 */
public final class ClusterKillDrill {
  static final String APPEND_STREAM = "drill";
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final Duration RECOVERY_AFTER_RESTART = Duration.ofSeconds(60);

  private final ClusterKillPlan plan;
  private final PrintStream progress;
  private final OperationHistory history = new OperationHistory();
  private final List<String> findings = new ArrayList<>();
  private final List<String> rounds = new ArrayList<>();
  private final List<Long> recoveryMillis = new ArrayList<>();
  private final List<Long> restartMillis = new ArrayList<>();
  private long crashes;
  private long metadataLeaderKills;

  private ClusterKillDrill(ClusterKillPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /**
   * Runs the drill.
   *
   * @param progress where each step is told as it happens
   */
  public static ClusterKillReport run(ClusterKillPlan plan, PrintStream progress) throws Exception {
    return new ClusterKillDrill(plan, progress).run();
  }

  private ClusterKillReport run() throws Exception {
    SplittableRandom random = new SplittableRandom(plan.seed());
    Map<String, Object> figures = new LinkedHashMap<>();
    HistoryVerdict verdict;
    try (LocalCluster cluster = new LocalCluster(plan.nodes(), plan.workDir(), plan.serverArgs())) {
      long started = System.nanoTime();
      for (int i = 0; i < cluster.size(); i++) {
        cluster.spawn(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.awaitReady(i, LocalCluster.START_TIMEOUT);
      }
      awaitMembership(cluster, "at start");
      say("%d nodes ready in %d ms", cluster.size(), millisSince(started));

      createStream(cluster.channel(0), APPEND_STREAM);
      createStream(cluster.channel(0), MqttPublishers.STREAM);
      List<Long> appendShards = ShardOwners.shardIds(cluster.channel(0), APPEND_STREAM);
      List<Long> mqttShards = ShardOwners.shardIds(cluster.channel(0), MqttPublishers.STREAM);
      Map<Long, String> streamOf = new LinkedHashMap<>();
      appendShards.forEach(s -> streamOf.put(s, APPEND_STREAM));
      mqttShards.forEach(s -> streamOf.put(s, MqttPublishers.STREAM));

      AppendClients appends = new AppendClients(cluster, history, APPEND_STREAM, appendShards);
      MqttPublishers mqtt = new MqttPublishers(cluster, history);
      appends.start(plan.appendClientsPerNode(), plan.seed());
      mqtt.start(plan.mqttClientsPerNode());
      awaitFirstAcks(appends, mqtt);

      for (int round = 1; round <= plan.rounds(); round++) {
        long loadMillis =
            1000 + random.nextLong(Math.max(1, plan.maxLoadBeforeKill().toMillis() - 999));
        Thread.sleep(loadMillis); // the load runs; the kill comes at a random moment
        killRound(cluster, round, random.nextInt(cluster.size()), streamOf);
      }

      appends.stop();
      mqtt.stop();
      figures.put("append_acknowledged", appends.acknowledged());
      figures.put("mqtt_acknowledged", mqtt.acknowledged());
      figures.put("mqtt_reconnects", mqtt.reconnects());
      checkAlive(cluster, "at the end", -1);
      List<Long> all = new ArrayList<>(streamOf.keySet());
      long read = FinalReads.readAll(cluster.channel(0), all, history);
      say("read %d records from %d shards", read, all.size());
      verdict = HistoryChecker.check(history);
      if (verdict.lost() > 0) {
        findings.add(lateReads(cluster, all));
      }
    }
    List<String> allFindings = new ArrayList<>(verdict.findings());
    allFindings.addAll(findings);
    figures.put("nodes", plan.nodes());
    figures.put("rounds", plan.rounds());
    figures.put("replication_factor", plan.replicationFactor());
    figures.put("metadata_leader_kills", metadataLeaderKills);
    figures.put("stored", verdict.stored());
    figures.put("unknown", verdict.unknown());
    figures.put("ids_twice", verdict.idsHandedOutTwice());
    figures.put("read_twice", verdict.readTwice());
    figures.put("out_of_order", verdict.outOfOrder());
    figures.put("misplaced", verdict.misplaced());
    figures.put("unasked", verdict.storedUnasked());
    figures.put("recover_ms_p50", percentile(recoveryMillis, 50));
    figures.put("recover_ms_max", percentile(recoveryMillis, 100));
    figures.put("restart_ms_p50", percentile(restartMillis, 50));
    figures.put("restart_ms_max", percentile(restartMillis, 100));
    return new ClusterKillReport(verdict, crashes, rounds, figures, allFindings);
  }

  private void killRound(LocalCluster cluster, int round, int victim, Map<Long, String> streamOf)
      throws Exception {
    int witness = (victim + 1) % cluster.size();
    int victimId = LocalCluster.nodeId(victim);
    Map<Long, String> affected = new LinkedHashMap<>();
    for (Map.Entry<Long, String> shard : streamOf.entrySet()) {
      if (ShardOwners.owner(cluster.channel(witness), shard.getKey()).getId() == victimId) {
        affected.put(shard.getKey(), shard.getValue());
      }
    }
    String raftRole = cluster.metadataRole(victim);
    if (raftRole.equals("LEADER")) {
      metadataLeaderKills++;
    }
    String role =
        "metadata "
            + raftRole
            + ", "
            + (affected.isEmpty()
                ? "led no shard"
                : "led " + affected.size() + " of " + streamOf.size() + " shards");
    long acknowledgedBefore = history.acknowledgedRecords();
    cluster.kill(victim);
    long killed = System.nanoTime();
    say(
        "round %d: killed node %d (%s), %d records acknowledged so far",
        round, victimId, role, acknowledgedBefore);
    RecoveryProbes probes = RecoveryProbes.start(cluster, history, killed, "r" + round, affected);
    Thread.sleep(plan.down().toMillis()); // down while the load runs
    checkAlive(cluster, "in round " + round, victim);
    cluster.spawn(victim);
    long spawned = System.nanoTime();
    String restart;
    try {
      cluster.awaitReady(victim, LocalCluster.START_TIMEOUT);
      restartMillis.add(millisSince(spawned));
      restart = "ready " + millisSince(spawned) + " ms after restart";
    } catch (IllegalStateException e) {
      crashes++;
      findings.add(
          "round " + round + ": node " + victimId + " did not start again: " + e.getMessage());
      restart = "did not start again";
    }
    Map<Long, Duration> recovered = probes.await(affected.size(), RECOVERY_AFTER_RESTART);
    for (long shard : affected.keySet()) {
      Duration took = recovered.get(shard);
      if (took == null) {
        findings.add(
            "round "
                + round
                + ": appends to shard "
                + shard
                + " (led by the killed node "
                + victimId
                + ") were not acknowledged again within "
                + RECOVERY_AFTER_RESTART.toSeconds()
                + " s of its restart");
      } else {
        recoveryMillis.add(took.toMillis());
      }
    }
    awaitMembership(cluster, "after round " + round);
    String line =
        String.format(
            "round %d: node %d killed (%s); %s; affected shards took appends again after %s ms",
            round,
            victimId,
            role,
            restart,
            recovered.values().stream().map(d -> Long.toString(d.toMillis())).sorted().toList());
    rounds.add(line);
    say("%s", line);
  }

  /**
   * What tells a read that ended early from a lost entry: 5 s after the final read, the last batch
   * of every shard as each node serves it.
   */
  private static String lateReads(LocalCluster cluster, List<Long> shards)
      throws InterruptedException {
    Thread.sleep(5000); // lets a lagging committed LSN move: the point of this second look
    StringBuilder out = new StringBuilder("5 s after the final read, the shards end at:");
    for (int i = 0; i < cluster.size(); i++) {
      out.append("\n  via node ").append(LocalCluster.nodeId(i)).append(':');
      for (long shard : shards) {
        try {
          List<StoredRecord> read = FinalReads.read(cluster.channel(i), shard);
          out.append(" shard ")
              .append(shard)
              .append(read.isEmpty() ? " empty" : " at " + read.get(read.size() - 1).id())
              .append(" (")
              .append(read.size())
              .append(" records);");
        } catch (RuntimeException e) {
          out.append(" shard ").append(shard).append(' ').append(e.getMessage()).append(';');
        }
      }
    }
    return out.toString();
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

  /** Lets the load run until both kinds of client had an acknowledgement, at most 60 s. */
  private void awaitFirstAcks(AppendClients appends, MqttPublishers mqtt)
      throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while ((appends.acknowledged() == 0 || mqtt.acknowledged() == 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (appends.acknowledged() == 0 || mqtt.acknowledged() == 0) {
      findings.add(
          "no acknowledgement within "
              + CONVERGE.toSeconds()
              + " s of the start: appends "
              + appends.acknowledged()
              + ", MQTT "
              + mqtt.acknowledged());
    }
  }

  /** Waits until every running node lists every node Running; a finding otherwise. */
  private void awaitMembership(LocalCluster cluster, String when) throws InterruptedException {
    if (!cluster.awaitAllRunning(CONVERGE)) {
      findings.add(
          when
              + ": not every node listed all "
              + cluster.size()
              + " nodes Running within "
              + CONVERGE.toSeconds()
              + " s");
    }
  }

  /**
   * A node that exited by itself is a crash; it is started again so the drill can go on.
   *
   * @param killed the node this round killed (-1: none), which is down on purpose
   */
  private void checkAlive(LocalCluster cluster, String when, int killed) throws Exception {
    for (int i = 0; i < cluster.size(); i++) {
      if (i != killed && !cluster.isAlive(i)) {
        crashes++;
        findings.add(
            when
                + ": node "
                + LocalCluster.nodeId(i)
                + " exited by itself:\n"
                + LocalCluster.tail(cluster.output(i)));
        cluster.spawn(i);
        cluster.awaitReady(i, LocalCluster.START_TIMEOUT);
      }
    }
  }

  private void say(String format, Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /** The nearest-rank percentile; -1 for no values. */
  static long percentile(List<Long> values, int percent) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
