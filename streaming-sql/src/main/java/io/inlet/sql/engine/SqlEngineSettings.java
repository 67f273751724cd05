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
    int slots) {
  public SqlEngineSettings {
    pipelineJars = List.copyOf(pipelineJars);
  }

  public static SqlEngineSettings defaults(Path dataDir, String connectorTarget) {
    return new SqlEngineSettings(
        dataDir, connectorTarget, null, List.of(), null, Duration.ZERO, Duration.ofSeconds(2), 32);
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
        slots);
  }
}
