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
import io.inlet.cdc.runtime.ConnectorStatus;
import io.inlet.cdc.state.ConnectorDefinition;
import io.inlet.cdc.state.ConnectorRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HStream IO inside the node: creates, runs, pauses, resumes, alters and deletes connectors, keeps
 * their definitions and state in the node's key-value store, and brings them back when the node
 * restarts. Every method that changes a connector is durable when it returns. Thread-safe.
 *
 * <p>{@link #create(String, String, String, Map)} is the entry point for the SQL form {@code CREATE
 * SOURCE|SINK CONNECTOR name FROM|TO target WITH (...)}: the statement's name, SOURCE or SINK, the
 * target and the WITH map.
 */
public final class ConnectorRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectorRuntime.class);

  private final ConnectorRepository repository;
  private final ConnectorFactory factory;
  private final Map<String, RunningConnector> connectors = new TreeMap<>();
  private ConnectorObserver observer = ConnectorObserver.NONE;
  private boolean closed;

  public ConnectorRuntime(
      KeyValueStore store,
      StreamAppender appender,
      StreamProvisioner provisioner,
      StreamReader reader) {
    this.repository = new ConnectorRepository(store);
    this.factory = new ConnectorFactory(store, appender, provisioner, reader);
  }

  /** Tells {@code value} of every connector now and later (one observer; set it before start). */
  public synchronized ConnectorRuntime observe(ConnectorObserver value) {
    observer = value;
    connectors.values().forEach(this::announce);
    return this;
  }

  private void announce(RunningConnector c) {
    ConnectorDefinition d = c.definition();
    observer.added(d.name(), d.type(), d.target(), c.stats(), c::status);
  }

  private void put(RunningConnector connector) {
    RunningConnector previous = connectors.put(connector.definition().name(), connector);
    if (previous == null) {
      announce(connector);
    }
  }

  /** Starts every saved connector that is not paused (paused ones come back PAUSED). */
  public synchronized ConnectorRuntime start() {
    for (ConnectorDefinition definition : repository.load()) {
      try {
        RunningConnector connector = factory.open(definition);
        put(connector);
        if (definition.paused()) {
          connector.markPaused();
        } else {
          connector.supervisor().start();
        }
      } catch (RuntimeException e) {
        log.warn("connector \"{}\" cannot start: {}", definition.name(), e.getMessage());
      }
    }
    log.info("{} connector(s) loaded", connectors.size());
    return this;
  }

  /** CreateConnector: {@code config} is the JSON object of the request. */
  public ConnectorView create(String name, String type, String target, String configJson) {
    return create(name, type, target, ConfigValidator.parseJson(configJson));
  }

  /**
   * Creates and starts a connector after checking everything that can be checked before it runs
   * (its name, type, target, every config key, and for sources Debezium's own check, which connects
   * to the database).
   *
   * @throws InletException ConnectorExists, ConnectorInvalidObjectIdentifier, ConnectorInvalidType,
   *     ConnectorCheckFailed (naming the key), StreamNotFound (a sink's stream)
   */
  public ConnectorView create(String name, String type, String target, Map<String, String> with) {
    ObjectNames.requireValid("connector name", name, ErrorCode.ConnectorInvalidObjectIdentifier);
    ConnectorType connectorType = ConnectorType.parse(type);
    Target connectorTarget = Target.parse(connectorType, target);
    ConnectorConfig config =
        ConfigValidator.validate(ConnectorSpec.of(connectorType, connectorTarget), with);
    synchronized (this) {
      requireOpen();
      if (connectors.containsKey(name)) {
        throw new InletException(
            ErrorCode.ConnectorExists, "connector \"" + name + "\" already exists");
      }
    }
    factory.check(name, config);
    ConnectorDefinition definition =
        new ConnectorDefinition(
            name, connectorType, connectorTarget, new LinkedHashMap<>(with), Instant.now(), false);
    synchronized (this) {
      requireOpen();
      if (connectors.containsKey(name)) {
        throw new InletException(
            ErrorCode.ConnectorExists, "connector \"" + name + "\" already exists");
      }
      factory.provision(config);
      factory.clearState(name);
      repository.save(definition);
      RunningConnector connector = factory.open(definition);
      put(connector);
      connector.supervisor().start();
      connector.log().add("created " + connectorType + " from " + connectorTarget.id());
      return connector.view();
    }
  }

  public synchronized List<ConnectorView> list() {
    List<ConnectorView> out = new ArrayList<>();
    connectors.values().forEach(c -> out.add(c.view()));
    return out;
  }

  public synchronized ConnectorView get(String name) {
    return require(name).view();
  }

  /** The JSON schema of the config of {@code type} connectors for {@code target}. */
  public static String spec(String type, String target) {
    ConnectorType connectorType = ConnectorType.parse(type);
    return ConnectorSpec.of(connectorType, Target.parse(connectorType, target)).toJsonSchema();
  }

  /** Up to {@code count} log lines from line {@code begin} ({@code count <= 0}: all). */
  public synchronized String logs(String name, int begin, int count) {
    return String.join("\n", require(name).log().read(Math.max(0, begin), count));
  }

  public void pause(String name) {
    RunningConnector connector;
    synchronized (this) {
      connector = require(name);
      if (connector.definition().paused()) {
        return;
      }
      connector.setDefinition(connector.definition().withPaused(true));
      repository.save(connector.definition());
    }
    connector.supervisor().pause();
  }

  public void resume(String name) {
    RunningConnector connector;
    synchronized (this) {
      connector = require(name);
      if (!connector.definition().paused()
          && connector.supervisor().status().state() != ConnectorStatus.State.PAUSED) {
        return;
      }
      connector.setDefinition(connector.definition().withPaused(false));
      repository.save(connector.definition());
    }
    connector.log().add("resumed");
    connector.supervisor().start();
  }

  /**
   * Replaces some config keys of a connector (AlterConnectorConfig), checked as at create time; a
   * running connector restarts with the new config, keeping its offsets.
   */
  public ConnectorView alter(String name, String configJson) {
    Map<String, String> changes = ConfigValidator.parseJson(configJson);
    RunningConnector old;
    synchronized (this) {
      old = require(name);
    }
    ConnectorDefinition before = old.definition();
    Map<String, String> merged = new LinkedHashMap<>(before.config());
    merged.putAll(changes);
    ConnectorConfig config =
        ConfigValidator.validate(ConnectorSpec.of(before.type(), before.target()), merged);
    factory.check(name, config);
    factory.provision(config);
    old.supervisor().stop();
    synchronized (this) {
      ConnectorDefinition altered = before.withConfig(merged);
      repository.save(altered);
      RunningConnector connector = factory.open(altered, old);
      connectors.remove(name);
      observer.removed(name);
      put(connector);
      connector.log().add("config altered: " + String.join(", ", changes.keySet()));
      if (altered.paused()) {
        connector.markPaused();
      } else {
        connector.supervisor().start();
      }
      return connector.view();
    }
  }

  /** Stops the connector and deletes it with its offsets, history and positions. */
  public void delete(String name) {
    RunningConnector connector;
    synchronized (this) {
      connector = require(name);
    }
    connector.supervisor().stop();
    synchronized (this) {
      repository.delete(name);
      connectors.remove(name);
      observer.removed(name);
      factory.clearState(name);
    }
    factory.released(connector);
  }

  private RunningConnector require(String name) {
    RunningConnector connector = connectors.get(name);
    if (connector == null) {
      throw new InletException(ErrorCode.ConnectorNotFound, "connector \"" + name + "\" not found");
    }
    return connector;
  }

  private void requireOpen() {
    if (closed) {
      throw new io.inlet.api.error.StoreUnavailableException("the node is shutting down");
    }
  }

  /** Stops every connector (their state stays; they come back at the next start). */
  @Override
  public void close() {
    List<RunningConnector> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = new ArrayList<>(connectors.values());
    }
    for (RunningConnector connector : running) {
      connector.supervisor().stop();
    }
  }
}
