package io.inlet.cdc;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
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
 * <p>The node runs the connectors its {@link ConnectorPlacement} gives it. In a cluster the store
 * is the cluster's replicated metadata and each connector has one owner: calls about a connector
 * are made on its owner, and {@link #reconcile()} starts the connectors this node has become the
 * owner of (from their saved offsets and positions) and stops those it no longer owns.
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
  private ConnectorPlacement placement = ConnectorPlacement.EVERY_CONNECTOR;
  private boolean closed;

  /** Saves and deletes made through this node, so reconcile can tell its read is out of date. */
  private long localChanges;

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

  /** Which connectors this node runs (every one unless set; set it before start). */
  public synchronized ConnectorRuntime placedBy(ConnectorPlacement value) {
    placement = value;
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

  /**
   * Starts every saved connector this node runs that is not paused (paused ones come back PAUSED).
   */
  public synchronized ConnectorRuntime start() {
    for (ConnectorDefinition definition : repository.load()) {
      if (placement.runsHere(definition.name())) {
        run(definition);
      }
    }
    log.info("{} connector(s) loaded", connectors.size());
    return this;
  }

  /** Opens and starts a saved connector (PAUSED when it was paused); null when it cannot open. */
  private RunningConnector run(ConnectorDefinition definition) {
    try {
      RunningConnector connector = factory.open(definition);
      put(connector);
      if (definition.paused()) {
        connector.markPaused();
      } else {
        connector.supervisor().start();
      }
      return connector;
    } catch (RuntimeException e) {
      log.warn("connector \"{}\" cannot start: {}", definition.name(), e.getMessage());
      return null;
    }
  }

  /**
   * Brings the connectors this node runs in line with the saved definitions and the placement:
   * starts a saved connector it now runs (from its saved offsets or positions: another node ran it,
   * or it was created through another node), and stops one that is no longer saved or has moved to
   * another node (its state stays for the node that takes it). Called periodically in a cluster,
   * where the placement changes with the members.
   */
  public void reconcile() {
    // Read before taking the lock: in a cluster this is a read of the replicated metadata, which
    // may wait for a majority; calls about connectors must not wait behind it. A connector created,
    // changed or deleted through this node meanwhile makes the read out of date: the next round.
    long changesBefore;
    synchronized (this) {
      changesBefore = localChanges;
    }
    Map<String, ConnectorDefinition> saved = new TreeMap<>();
    repository.load().forEach(d -> saved.put(d.name(), d));
    List<RunningConnector> released = new ArrayList<>();
    synchronized (this) {
      if (closed || localChanges != changesBefore) {
        return;
      }
      for (ConnectorDefinition definition : saved.values()) {
        if (!connectors.containsKey(definition.name()) && placement.runsHere(definition.name())) {
          RunningConnector connector = run(definition);
          if (connector != null) {
            connector.log().add("started on this node (it runs the connector now)");
            log.info("connector \"{}\" runs on this node now", definition.name());
          }
        }
      }
      for (RunningConnector connector : new ArrayList<>(connectors.values())) {
        String name = connector.definition().name();
        if (!saved.containsKey(name) || !placement.runsHere(name)) {
          connectors.remove(name);
          observer.removed(name);
          released.add(connector);
          log.info(
              "connector \"{}\" {}",
              name,
              saved.containsKey(name)
                  ? "moved to another node"
                  : "was deleted through another node");
        }
      }
    }
    released.forEach(c -> c.supervisor().stop());
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
      requireAbsent(name);
    }
    factory.check(name, config);
    ConnectorDefinition definition =
        new ConnectorDefinition(
            name, connectorType, connectorTarget, new LinkedHashMap<>(with), Instant.now(), false);
    synchronized (this) {
      requireAbsent(name);
      factory.provision(config);
      factory.clearState(name);
      save(definition);
      RunningConnector connector = factory.open(definition);
      if (!placement.runsHere(name)) {
        // Its owner starts it at its next reconcile; until then it is NEW.
        return connector.view();
      }
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
      save(connector.definition());
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
      save(connector.definition());
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
      save(altered);
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
      forget(name);
      connectors.remove(name);
      observer.removed(name);
      factory.clearState(name);
    }
    factory.released(connector);
  }

  private void save(ConnectorDefinition definition) {
    repository.save(definition);
    localChanges++;
  }

  private void forget(String name) {
    repository.delete(name);
    localChanges++;
  }

  /** Refuses a name that a connector has, here or saved by another node. */
  private void requireAbsent(String name) {
    requireOpen();
    if (connectors.containsKey(name) || repository.find(name).isPresent()) {
      throw new InletException(
          ErrorCode.ConnectorExists, "connector \"" + name + "\" already exists");
    }
  }

  /**
   * The connector this node runs; one saved but not yet started here although the placement gives
   * it to this node (it moved here a moment ago) is started now.
   */
  private RunningConnector require(String name) {
    RunningConnector connector = connectors.get(name);
    if (connector != null) {
      return connector;
    }
    ConnectorDefinition saved =
        repository
            .find(name)
            .orElseThrow(
                () ->
                    new InletException(
                        ErrorCode.ConnectorNotFound, "connector \"" + name + "\" not found"));
    if (!placement.runsHere(name)) {
      throw new StoreUnavailableException(
          "connector \"" + name + "\" runs on another node now; retry");
    }
    requireOpen();
    connector = run(saved);
    if (connector == null) {
      throw new StoreUnavailableException(
          "connector \"" + name + "\" cannot start on this node; see its log");
    }
    return connector;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreUnavailableException("the node is shutting down");
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
