package io.inlet.server.ingest;

import io.grpc.ServerServiceDefinition;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.client.BridgeManager;
import io.inlet.bridge.client.BridgeStatus;
import io.inlet.bridge.client.InvalidBridgeException;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.rules.IngestCounters;
import io.inlet.bridge.rules.InvalidRuleException;
import io.inlet.bridge.rules.RuleBasedIngestor;
import io.inlet.bridge.rules.RuleBook;
import io.inlet.server.StartupException;
import io.inlet.server.admin.InletAdminService;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's MQTT ingest path: the mapping rules (config file + runtime rules persisted in the
 * store), the one {@link MessageIngestor} every MQTT path uses (the listener, the bridges, ExHook),
 * the bridges to upstream brokers, and the {@code inlet.admin.v1.InletAdmin} service that manages
 * rules and reports bridges.
 *
 * <p>Lifecycle: {@link #open} loads the rules and builds the ingestor; {@link #startBridges} starts
 * the bridges (once the node is otherwise up); {@link #close} stops the bridges (after acking what
 * they have in flight), then fails messages still waiting for a stream. Close it before the store
 * and after every other user of {@link #ingestor()} (the MQTT listener, ExHook).
 */
public final class MqttIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttIngest.class);

  private final RoutingConfig routing;
  private final RuleBook rules;
  private final IngestCounters counters;
  private final RuleBasedIngestor ingestor;
  private final StoredMqttUsers users;
  private volatile BridgeManager bridges;
  private boolean closed;

  private MqttIngest(
      RoutingConfig routing,
      RuleBook rules,
      IngestCounters counters,
      RuleBasedIngestor ingestor,
      MetadataCatalog userCatalog) {
    this.routing = routing;
    this.rules = rules;
    this.counters = counters;
    this.ingestor = ingestor;
    this.users = new StoredMqttUsers(userCatalog);
  }

  /**
   * Loads the rules and builds the ingestor on the store.
   *
   * @throws StartupException when the config rules conflict (two with one name)
   */
  public static MqttIngest open(StreamStore store, StreamAppender appender, RoutingConfig routing) {
    RuleBook rules;
    try {
      rules =
          RuleBook.open(
              routing.rules(), new MetadataRuleRepository(store.metadata()), Clock.systemUTC());
    } catch (InvalidRuleException e) {
      throw new StartupException(e.getMessage(), e);
    }
    MqttIngest ingest = open(store, appender, routing, rules, store.metadata());
    ingest.users.reload();
    return ingest;
  }

  /**
   * The same with the runtime rules and the stored MQTT users kept in {@code shared}, a cluster's
   * shared metadata, so that a rule or user added through any node applies on every node. They are
   * not read here (the metadata may have no majority yet): nothing is routed until the first {@link
   * #reloadRules()} succeeds, and stored users log in once {@link #reloadUsers()} has read them.
   */
  public static MqttIngest openShared(
      StreamStore store, StreamAppender appender, RoutingConfig routing, MetadataCatalog shared) {
    RuleBook rules;
    try {
      rules =
          RuleBook.unread(routing.rules(), new MetadataRuleRepository(shared), Clock.systemUTC());
    } catch (InvalidRuleException e) {
      throw new StartupException(e.getMessage(), e);
    }
    return open(store, appender, routing, rules, shared);
  }

  private static MqttIngest open(
      StreamStore store,
      StreamAppender appender,
      RoutingConfig routing,
      RuleBook rules,
      MetadataCatalog userCatalog) {
    IngestCounters counters = new IngestCounters();
    RuleBasedIngestor ingestor =
        new RuleBasedIngestor(
            rules::current, appender, new StoreStreamProvisioner(store.streams()), counters);
    logRules(rules, routing);
    return new MqttIngest(routing, rules, counters, ingestor, userCatalog);
  }

  private static void logRules(RuleBook rules, RoutingConfig routing) {
    int count;
    try {
      count = rules.current().size();
    } catch (StoreUnavailableException notReadYet) {
      log.info("MQTT mapping: runtime rules are read from the cluster's metadata once it answers");
      return;
    }
    log.info(
        "MQTT mapping: {} rule{} ({})",
        count,
        count == 1 ? "" : "s",
        routing.rules().isEmpty()
            ? "built-in catch-all: # -> stream mqtt"
            : "config file and runtime");
  }

  /** The metadata namespace the runtime rules are kept in. */
  public static String ruleNamespace() {
    return MetadataRuleRepository.NAMESPACE;
  }

  /**
   * Reads the runtime rules again (another node of the cluster added or deleted one).
   *
   * @throws StoreUnavailableException when they cannot be read; the rules in effect stay
   */
  public void reloadRules() {
    rules.reload();
  }

  /** The metadata namespace the stored MQTT users are kept in. */
  public static String userNamespace() {
    return StoredMqttUsers.namespace();
  }

  /**
   * Reads the stored MQTT users again (another node of the cluster added or deleted one).
   *
   * @throws StoreUnavailableException when they cannot be read; the users in effect stay
   */
  public void reloadUsers() {
    users.reload();
  }

  /** Has the MQTT listener's {@code authenticator} check the stored users too, now and after. */
  public void authenticateWith(Authenticator authenticator) {
    users.checkedBy(authenticator);
  }

  /**
   * Starts the configured bridges; they connect in the background.
   *
   * @param nodeId for default client ids
   * @param drain how long each bridge may take at close to acknowledge messages being stored
   * @throws StartupException when bridges conflict or their TLS files cannot be loaded
   */
  public synchronized void startBridges(int nodeId, Duration drain) {
    if (closed || bridges != null || routing.bridges().isEmpty()) {
      return;
    }
    try {
      bridges = BridgeManager.start(routing.bridges(), ingestor, nodeId, drain);
    } catch (InvalidBridgeException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** The one ingestor of this node: hand it to every MQTT path. */
  public MessageIngestor ingestor() {
    return ingestor;
  }

  public RuleBook rules() {
    return rules;
  }

  /** Counts of ingest outcomes, for metrics. */
  public IngestCounters counters() {
    return counters;
  }

  /** Every bridge's status; empty without bridges. */
  public List<BridgeStatus> bridgeStatuses() {
    BridgeManager b = bridges;
    return b == null ? List.of() : b.statuses();
  }

  /** {@code inlet.admin.v1.InletAdmin}, to serve on the gRPC port. */
  public ServerServiceDefinition adminService() {
    return new InletAdminService(rules, counters, this::bridgeStatuses, users).bindService();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bridges != null) {
      bridges.close();
    }
    ingestor.close();
  }
}
