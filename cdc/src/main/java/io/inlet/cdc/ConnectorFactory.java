package io.inlet.cdc;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;
import io.inlet.api.read.StreamReader;
import io.inlet.api.state.KeyValueStore;
import io.inlet.cdc.config.ConfigValidator;
import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorLog;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorSupervisor;
import io.inlet.cdc.runtime.ConnectorTask;
import io.inlet.cdc.sink.JdbcSinkTask;
import io.inlet.cdc.source.DebeziumSourceTask;
import io.inlet.cdc.source.PostgresSlots;
import io.inlet.cdc.source.SourceCheck;
import io.inlet.cdc.state.ConnectorDefinition;
import io.inlet.cdc.state.ConnectorStateSpace;
import java.util.function.Supplier;

/** Builds a connector's checks, tasks and supervisor from its definition. */
final class ConnectorFactory {
  private final KeyValueStore store;
  private final StreamAppender appender;
  private final StreamProvisioner provisioner;
  private final StreamReader reader;

  ConnectorFactory(
      KeyValueStore store,
      StreamAppender appender,
      StreamProvisioner provisioner,
      StreamReader reader) {
    this.store = store;
    this.appender = appender;
    this.provisioner = provisioner;
    this.reader = reader;
  }

  /** What create and alter check beyond the keys: stream names, and Debezium's own check. */
  void check(String name, ConnectorConfig config) {
    String stream = config.get(ConnectorSpec.STREAM);
    ObjectNames.requireValid(
        "stream name (key \"stream\")", stream, ErrorCode.ConnectorCheckFailed);
    if (config.spec().type() == ConnectorType.SOURCE) {
      SourceCheck.check(name, config);
      return;
    }
    if (!provisioner.exists(stream)) {
      throw new InletException(
          ErrorCode.ConnectorCheckFailed,
          "connector config key \"stream\": stream \"" + stream + "\" not found");
    }
    String dlq = config.get(ConnectorSpec.ERROR_STREAM);
    if (dlq != null) {
      ObjectNames.requireValid(
          "dead-letter stream name (key \"" + ConnectorSpec.ERROR_STREAM + "\")",
          dlq,
          ErrorCode.ConnectorCheckFailed);
    }
  }

  /**
   * Creates a source's stream (with {@code stream.shards} shards) when it is missing, so that it
   * exists once the connector is created; the task creates it again if it was deleted since.
   */
  void provision(ConnectorConfig config) {
    String stream = config.get(ConnectorSpec.STREAM);
    if (config.spec().type() == ConnectorType.SOURCE && !provisioner.exists(stream)) {
      provisioner.create(stream, config.getInt(ConnectorSpec.STREAM_SHARDS));
    }
  }

  RunningConnector open(ConnectorDefinition definition) {
    return open(definition, null);
  }

  /** A connector for the definition; keeps the log and totals of {@code previous} if given. */
  RunningConnector open(ConnectorDefinition definition, RunningConnector previous) {
    ConnectorConfig config =
        ConfigValidator.validate(
            ConnectorSpec.of(definition.type(), definition.target()), definition.config());
    ConnectorStateSpace state = new ConnectorStateSpace(store, definition.name());
    ConnectorLog log = previous == null ? new ConnectorLog() : previous.log();
    ConnectorStats stats = previous == null ? new ConnectorStats() : previous.stats();
    Supplier<ConnectorTask> tasks = tasks(definition.name(), config, state, stats, log);
    ConnectorSupervisor supervisor =
        new ConnectorSupervisor(
            definition.name(),
            tasks,
            config.getLong(ConnectorSpec.BACKOFF_INITIAL_MS),
            config.getLong(ConnectorSpec.BACKOFF_MAX_MS),
            log,
            stats);
    return new RunningConnector(definition, supervisor, log, stats, state);
  }

  private Supplier<ConnectorTask> tasks(
      String name,
      ConnectorConfig config,
      ConnectorStateSpace state,
      ConnectorStats stats,
      ConnectorLog log) {
    String stream = config.get(ConnectorSpec.STREAM);
    if (config.spec().type() == ConnectorType.SOURCE) {
      int shards = config.getInt(ConnectorSpec.STREAM_SHARDS);
      return () ->
          new DebeziumSourceTask(name, config, stream, shards, appender, provisioner, state, stats);
    }
    return () -> new JdbcSinkTask(name, config, reader, appender, provisioner, state, stats, log);
  }

  /** Forgets every offset, history record and position kept under the connector's name. */
  void clearState(String name) {
    new ConnectorStateSpace(store, name).clear();
  }

  /** After a delete: releases what the connector holds in the database (a replication slot). */
  void released(RunningConnector connector) {
    ConnectorDefinition d = connector.definition();
    if (d.type() == ConnectorType.SOURCE && d.target() == Target.POSTGRESQL) {
      ConnectorConfig config =
          ConfigValidator.validate(ConnectorSpec.of(d.type(), d.target()), d.config());
      PostgresSlots.drop(d.name(), config);
    }
  }
}
