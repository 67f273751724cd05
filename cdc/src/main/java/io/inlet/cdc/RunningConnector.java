package io.inlet.cdc;

import io.inlet.cdc.runtime.ConnectorLog;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorStatus;
import io.inlet.cdc.runtime.ConnectorSupervisor;
import io.inlet.cdc.state.ConnectorDefinition;
import io.inlet.cdc.state.ConnectorStateSpace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A connector the runtime holds: its definition, supervisor, log, totals and state space. */
final class RunningConnector {
  private volatile ConnectorDefinition definition;
  private final ConnectorSupervisor supervisor;
  private final ConnectorLog log;
  private final ConnectorStats stats;
  private final ConnectorStateSpace state;

  RunningConnector(
      ConnectorDefinition definition,
      ConnectorSupervisor supervisor,
      ConnectorLog log,
      ConnectorStats stats,
      ConnectorStateSpace state) {
    this.definition = definition;
    this.supervisor = supervisor;
    this.log = log;
    this.stats = stats;
    this.state = state;
  }

  ConnectorDefinition definition() {
    return definition;
  }

  void setDefinition(ConnectorDefinition value) {
    definition = value;
  }

  ConnectorSupervisor supervisor() {
    return supervisor;
  }

  ConnectorLog log() {
    return log;
  }

  ConnectorStats stats() {
    return stats;
  }

  ConnectorStateSpace state() {
    return state;
  }

  void markPaused() {
    supervisor.markPaused();
  }

  ConnectorView view() {
    ConnectorDefinition d = definition;
    Map<String, String> shown = new LinkedHashMap<>(d.config());
    shown.computeIfPresent("password", (k, v) -> "******");
    shown.computeIfPresent("database.password", (k, v) -> "******");
    return new ConnectorView(
        d.name(),
        d.type(),
        d.target(),
        d.createdAt(),
        supervisor.status(),
        shown,
        offsets(d),
        stats.records(),
        stats.bytes(),
        stats.deadLetteredRecords(),
        stats.errors(),
        stats.lagMs());
  }

  private List<String> offsets(ConnectorDefinition d) {
    List<String> out = new ArrayList<>();
    if (d.type() == io.inlet.cdc.config.ConnectorType.SOURCE) {
      state
          .store()
          .list(state.offsets())
          .values()
          .forEach(v -> out.add(new String(v, StandardCharsets.UTF_8)));
    } else {
      state
          .store()
          .list(state.sinkPositions())
          .forEach(
              (shard, lsn) ->
                  out.add(
                      "{\"shardId\":\""
                          + shard
                          + "\",\"nextLsn\":"
                          + new String(lsn, StandardCharsets.UTF_8)
                          + "}"));
    }
    return out;
  }

  /** For metrics: the current status without building a view. */
  ConnectorStatus status() {
    return supervisor.status();
  }
}
