package io.inlet.sql.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the node runs SQL queries.
 *
 * @param dataDir where checkpoints, savepoints and Flink's temporary files go (the node's data dir
 *     + {@code /sql})
 * @param connectorTarget how the queries' jobs reach this node ({@code in-process:name} for the
 *     in-process cluster, host:port of the gRPC port for a remote one)
 * @param remoteRest a Flink cluster's REST address (host:port) to submit the jobs to, or null for
 *     the in-process MiniCluster
 * @param pipelineJars the jars shipped with each job to a remote cluster; empty: the jars of this
 *     module and what it needs (gRPC, protobuf, Netty, Jackson, Inlet's api)
 * @param eventTimeField the record field with a record's event time, or null for the append time
 * @param allowedLateness how far behind the newest event time a record may be and still count
 * @param checkpointInterval how often a query's position and state are checkpointed
 * @param sourceIdleTimeout how long a shard without records may hold back its query's watermark
 * @param restartAttempts how many times a failing query is restarted before it is ABORTED
 * @param restartResetAfter how long a query must run without failing for its restarts to be counted
 *     from zero again
 * @param slots how many queries the in-process cluster runs at once
 */
public record SqlEngineSettings(
    Path dataDir,
    String connectorTarget,
    String remoteRest,
    List<String> pipelineJars,
    String eventTimeField,
    Duration allowedLateness,
    Duration checkpointInterval,
    Duration sourceIdleTimeout,
    int restartAttempts,
    Duration restartResetAfter,
    int slots) {
  public SqlEngineSettings {
    pipelineJars = List.copyOf(pipelineJars);
  }

  public static SqlEngineSettings defaults(Path dataDir, String connectorTarget) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        null,
        List.of(),
        null,
        Duration.ZERO,
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        5,
        Duration.ofMinutes(10),
        32);
  }

  public SqlEngineSettings withRemote(String rest, List<String> jars) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        rest,
        jars,
        eventTimeField,
        allowedLateness,
        checkpointInterval,
        sourceIdleTimeout,
        restartAttempts,
        restartResetAfter,
        slots);
  }

  public SqlEngineSettings withEventTime(String field, Duration lateness) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        remoteRest,
        pipelineJars,
        field,
        lateness,
        checkpointInterval,
        sourceIdleTimeout,
        restartAttempts,
        restartResetAfter,
        slots);
  }

  public SqlEngineSettings withCheckpointInterval(Duration interval) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        remoteRest,
        pipelineJars,
        eventTimeField,
        allowedLateness,
        interval,
        sourceIdleTimeout,
        restartAttempts,
        restartResetAfter,
        slots);
  }

  public SqlEngineSettings withSourceIdleTimeout(Duration timeout) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        remoteRest,
        pipelineJars,
        eventTimeField,
        allowedLateness,
        checkpointInterval,
        timeout,
        restartAttempts,
        restartResetAfter,
        slots);
  }

  public SqlEngineSettings withRestarts(int attempts, Duration resetAfter) {
    return new SqlEngineSettings(
        dataDir,
        connectorTarget,
        remoteRest,
        pipelineJars,
        eventTimeField,
        allowedLateness,
        checkpointInterval,
        sourceIdleTimeout,
        attempts,
        resetAfter,
        slots);
  }
}
