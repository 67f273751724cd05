package io.inlet.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.api.record.BatchValidator;
import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.listener.MqttListener;
import io.inlet.cdc.ConnectorPlacement;
import io.inlet.cluster.ClusterSettings;
import io.inlet.cluster.metadata.MetadataSettings;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.replication.ReplicationException;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.replication.ReplicationSettings;
import io.inlet.emqx.ExHookServer;
import io.inlet.server.cluster.ClusterServing;
import io.inlet.server.cluster.MetadataCatchUp;
import io.inlet.server.cluster.NodeAvailability;
import io.inlet.server.cluster.NodeMembership;
import io.inlet.server.cluster.ShardForwarding;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.Connectors;
import io.inlet.server.grpc.CallExecutors;
import io.inlet.server.grpc.ClusterRpcs;
import io.inlet.server.grpc.HStreamApiDefinition;
import io.inlet.server.grpc.LateBoundRegistry;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.ReaderRpcs;
import io.inlet.server.grpc.ShardLocator;
import io.inlet.server.grpc.StreamRpcs;
import io.inlet.server.grpc.StreamingReadRpcs;
import io.inlet.server.grpc.TaskLocator;
import io.inlet.server.http.HttpEndpoints;
import io.inlet.server.ingest.MqttIngest;
import io.inlet.server.ingest.StoreStreamProvisioner;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.server.metrics.BridgeMetrics;
import io.inlet.server.metrics.ConnectionMetrics;
import io.inlet.server.metrics.GrpcMetrics;
import io.inlet.server.metrics.GrpcMetricsInterceptor;
import io.inlet.server.metrics.IngestMetrics;
import io.inlet.server.metrics.InletMetrics;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.server.net.GrpcListener;
import io.inlet.server.read.CheckedStore;
import io.inlet.server.read.DamagedBatches;
import io.inlet.server.sql.SqlQueries;
import io.inlet.server.stats.StatsRpcs;
import io.inlet.server.stats.StatsSampler;
import io.inlet.server.subscription.SubscriptionOwnership;
import io.inlet.server.subscription.SubscriptionRpcs;
import io.inlet.server.subscription.Ticker;
import io.inlet.sql.engine.QueryPlacement;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Inlet node: the store, the HStreamApi gRPC server, the MQTT listener, the EMQX ExHook server
 * and the HTTP endpoints. The listeners share one set of event loops, HTTP its own thread ({@link
 * NetworkEventLoops}); the gRPC, ExHook and HTTP ports are guarded as {@code docs/security.md} says
 * (handshake, idle and request deadlines, connection caps, optional TLS and tokens), and a node
 * bound beyond loopback warns for each port that is unauthenticated.
 *
 * <p>{@link #start} opens everything or nothing (a failure closes what was opened and throws {@link
 * StartupException}). {@link #close} stops accepting calls, lets in-flight ones finish for up to
 * shutdown-timeout, ends streaming reads and subscriptions, then closes the store; it is
 * idempotent.
 */
public final class InletServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InletServer.class);
  private static final String VERSION = "0.1.0";

  private final ServerConfig config;
  private final RoutingConfig routing;
  private final Ticker subscriptionTicker;
  private final OpenedResources opened = new OpenedResources();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger closing = new AtomicInteger();
  private volatile InletMetrics metrics;
  private volatile StreamStore store;
  private volatile Server grpc;
  private volatile HttpEndpoints http;
  private volatile LocalNode node;
  private volatile NodeMembership membership;
  private volatile ReplicatedMetadata metadata;
  private volatile ReplicationNode replication;
  private volatile MetadataCatchUp metadataCatchUp;
  private volatile StreamStore nodeStore;
  private volatile StreamAppender appender;
  private volatile MqttIngest mqtt;
  private volatile ExHookServer exhook;
  private volatile MqttListener mqttListener;
  private volatile Connectors connectors;
  private volatile boolean ready;

  private InletServer(ServerConfig config, RoutingConfig routing, Ticker subscriptionTicker) {
    this.config = config;
    this.routing = routing;
    this.subscriptionTicker = subscriptionTicker;
  }

  /** Starts a node on the local RocksDB store, with the built-in MQTT rule and no bridges. */
  public static InletServer start(ServerConfig config) {
    return builder(config).start();
  }

  /** Starts a node on the local RocksDB store with the config file's MQTT rules and bridges. */
  public static InletServer start(ServerConfig config, RoutingConfig routing) {
    return builder(config).routing(routing).start();
  }

  /** A node to start with more than its settings: MQTT rules, another store, another clock. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** What a node is assembled from besides its settings. */
  public static final class Builder {
    private final ServerConfig config;
    private RoutingConfig routing = RoutingConfig.DEFAULTS;
    private Function<StoreOptions, StreamStore> storeOpener = StreamStore::open;
    private Ticker subscriptionTicker = Ticker.SYSTEM;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    /** The MQTT rules and bridges (the config file's); the built-in rule and none by default. */
    public Builder routing(RoutingConfig routing) {
      this.routing = Objects.requireNonNull(routing);
      return this;
    }

    /** Opens the store; the local RocksDB store by default (tests may pass their own). */
    public Builder storeOpener(Function<StoreOptions, StreamStore> storeOpener) {
      this.storeOpener = Objects.requireNonNull(storeOpener);
      return this;
    }

    /**
     * The time subscriptions measure ack timeouts and read retries with; the system's monotonic
     * clock by default. Tests pass one they move by hand, so redelivery needs no real wait.
     */
    public Builder subscriptionTicker(Ticker ticker) {
      this.subscriptionTicker = Objects.requireNonNull(ticker);
      return this;
    }

    /**
     * Opens everything or nothing.
     *
     * @throws StartupException when the node cannot start; what was opened is closed again
     */
    public InletServer start() {
      InletServer server = new InletServer(config, routing, subscriptionTicker);
      try {
        server.doStart(storeOpener);
        return server;
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
    }
  }

  private void doStart(Function<StoreOptions, StreamStore> storeOpener) {
    if (config.unsafeSkipFsync()) {
      log.warn(
          "UNSAFE: unsafe-skip-fsync is on: appends are acknowledged before they are fsync'd;"
              + " a crash or power loss LOSES ACKNOWLEDGED RECORDS. Never use this in production.");
    }
    metrics = new InletMetrics(VERSION, config.nodeId(), () -> readiness().ready());
    opened.push(metrics);
    store = StoreStartup.open(config, metrics.registry(), storeOpener);
    opened.push(store);
    log.info("store opened in {}", config.dataDir().toAbsolutePath().normalize());
    config.metadata().ifPresent(this::startMetadata);
    config.replication().ifPresent(this::startReplication);

    ExecutorService executor = GrpcExecutor.create();
    opened.push(GrpcExecutor.closer(executor, config.shutdownTimeout()));

    NetworkEventLoops loops = new NetworkEventLoops(config.network().ioThreads());
    opened.push(loops);

    LateBoundRegistry registry = new LateBoundRegistry();
    GrpcListener grpcListener = GrpcPorts.listener(config.network().grpc());
    ConnectionMetrics.bind(metrics.registry(), grpcListener.connections());
    Server server =
        grpcListener
            .configure(
                NettyServerBuilder.forAddress(
                    new InetSocketAddress(config.bind(), config.grpcPort())),
                loops.boss(),
                loops.workers())
            .directExecutor() // method lookup only; CallExecutors picks each call's thread
            .callExecutor(new CallExecutors(executor))
            .fallbackHandlerRegistry(registry)
            .maxInboundMessageSize(GrpcPorts.inboundLimit(config.maxRecordSize()))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw StartupFailures.bindFailure(e, "grpc-port", config.grpcPort());
    }
    grpc = server;
    opened.push(this::awaitGrpcTermination);
    node = new LocalNode(config.nodeId(), config.advertisedAddress(), server.getPort(), VERSION);
    membership = new NodeMembership(node, replication == null ? 0 : replication.self().port());
    // With metadata-nodes, the node serves the cluster's streams: the catalog is replicated, each
    // shard's records are kept by its owner, appends are forwarded there.
    StreamStore served = store;
    ShardLocator shardLocator = ShardLocator.self(node);
    SubscriptionOwnership subscriptionOwners = null;
    ClusterServing cluster = null;
    if (metadata != null) {
      cluster =
          new ClusterServing(
              store,
              metadata,
              replication,
              node,
              membership,
              GrpcPorts.inboundLimit(config.maxRecordSize()),
              config.network().grpc().tls(),
              config.metadata().flatMap(MetadataSettings::tls),
              new ClusterServing.ReplicaLifecycle(
                  config.retentionCheckInterval(),
                  config
                      .replication()
                      .map(ReplicationSettings::replaceAfter)
                      .orElse(ReplicationSettings.DEFAULT_REPLACE_AFTER)));
      opened.push(cluster);
      served = cluster.store();
      shardLocator = cluster.owners();
      subscriptionOwners = cluster.subscriptionOwners();
    }
    nodeStore = served;

    BatchValidator batches = new BatchValidator(config.batchLimits());
    // What the read paths see: every stored batch checked before it is handed out.
    StreamStore checked =
        new CheckedStore(served, batches, new DamagedBatches(served.streams(), metrics.registry()));
    if (subscriptionOwners == null) {
      subscriptionOwners = SubscriptionOwnership.local(node, checked.subscriptions());
    }
    SubscriptionRpcs subscriptions =
        new SubscriptionRpcs(
            checked,
            subscriptionOwners,
            new SubscriptionMetrics(metrics.registry()),
            config.unackedLimits(),
            subscriptionTicker);
    opened.push(subscriptions);
    ReaderRpcs readers = new ReaderRpcs(checked, node, executor);
    opened.push(readers);
    StreamingReadRpcs streamingReads = new StreamingReadRpcs(checked, executor);
    opened.push(streamingReads);
    opened.push(
        () -> {
          server.shutdown();
          log.info("gRPC stopped accepting calls");
        });
    AppendMetrics appendMetrics = new AppendMetrics(metrics.registry());
    LocalStreamAppender localAppender = new LocalStreamAppender(served, batches, appendMetrics);
    ShardForwarding forwarding = cluster == null ? null : cluster.forwarding(localAppender);
    appender = forwarding == null ? localAppender : forwarding;
    StreamRpcs.ClientAppends clientAppends =
        forwarding == null ? localAppender::appendClientBatch : forwarding::appendClientBatch;
    StatsSampler sampler = new StatsSampler(metrics.registry(), served, appendMetrics).start();
    opened.push(sampler);
    // The one MessageIngestor of every MQTT path (listener, bridges, ExHook): close it after them.
    mqtt =
        cluster == null
            ? MqttIngest.open(served, appender, routing)
            : MqttIngest.openShared(served, appender, routing, cluster.sharedMetadata());
    opened.push(mqtt);
    if (cluster != null) {
      opened.push(cluster.watch(MqttIngest.ruleNamespace(), mqtt::reloadRules));
      opened.push(cluster.watch(MqttIngest.userNamespace(), mqtt::reloadUsers));
    }
    MqttIngest ingest = mqtt;
    IngestMetrics.bind(metrics.registry(), ingest.counters());
    BridgeMetrics.bind(
        metrics.registry(),
        routing.bridges().stream().map(BridgeSpec::name).toList(),
        ingest::bridgeStatuses);
    // Connectors (HStream IO) append through the appender and stop before the store closes.
    // In a cluster each connector runs on one node, its state in the replicated metadata.
    connectors =
        Connectors.start(
            served,
            cluster == null ? served.metadata() : cluster.sharedMetadata(),
            cluster == null ? ConnectorPlacement.EVERY_CONNECTOR : cluster.taskOwners(),
            appender,
            new StoreStreamProvisioner(served.streams()),
            metrics.registry(),
            Integer.toString(config.nodeId()));
    opened.push(connectors);
    // SQL queries (Flink starts with the first one) stop before the services they read through.
    // In a cluster each query runs on one node, its state and checkpoints in the replicated
    // metadata.
    SqlQueries sql =
        SqlQueries.open(
            served,
            registry,
            metrics.registry(),
            config,
            server.getPort(),
            cluster == null ? served.metadata() : cluster.sharedMetadata(),
            cluster == null ? QueryPlacement.singleNode(config.nodeId()) : cluster.taskOwners());
    opened.push(sql);
    List<ServerServiceDefinition> services = new ArrayList<>();
    services.add(
        ServerInterceptors.intercept(
            HStreamApiDefinition.compose(
                List.of(
                    new StreamRpcs(checked, clientAppends),
                    readers,
                    streamingReads,
                    new ClusterRpcs(
                        node,
                        membership,
                        shardLocator,
                        subscriptionOwners,
                        cluster == null ? TaskLocator.self(node) : cluster.taskOwners(),
                        Instant.now()),
                    cluster == null ? subscriptions : cluster.subscriptionForwarding(subscriptions),
                    new StatsRpcs(sampler),
                    cluster == null
                        ? connectors.rpcs()
                        : cluster.connectorForwarding(connectors.rpcs()),
                    sql.rpcs())),
            new GrpcMetricsInterceptor(new GrpcMetrics(metrics.registry()))));
    services.add(mqtt.adminService());
    if (cluster != null) {
      services.add(cluster.shardReads().bindService());
      services.add(cluster.shardStatus().bindService());
    }
    registry.set(services.toArray(ServerServiceDefinition[]::new));
    sql.start();
    log.info(
        "gRPC listening on {}:{}{}",
        config.bind(),
        server.getPort(),
        GrpcPorts.transport(config.network().grpc()));

    if (config.mqtt().enabled()) {
      mqttListener =
          MqttStartup.start(
              config.mqtt(), mqtt, loops, metrics.registry(), config.shutdownTimeout(), opened);
    }
    exhook = ExHookStartup.start(config, mqtt.ingestor(), loops, metrics.registry(), opened);
    http = HttpStartup.start(config, this::readiness, metrics, loops);
    opened.push(http);

    warnUnauthenticatedPorts();
    mqtt.startBridges(config.nodeId(), config.shutdownTimeout());
    // Joined last, as Running: members only learn of a node that serves. Closed first on shutdown,
    // so the others see it leave before its ports close.
    config.cluster().ifPresent(this::joinCluster);
    opened.push(membership);
    if (config.cluster().isPresent()) {
      // Gossiped Unavailable while it refuses writes, so that every node places work elsewhere.
      opened.push(NodeAvailability.watch(membership, this::writesRefused));
    }
    if (cluster != null) {
      // Before the node leaves, so that the nodes that take its connectors and queries go on from
      // where they stopped (the queries from the savepoints they share as they stop).
      opened.push(connectors::stopConnectors);
      opened.push(sql::stopQueries);
    }
    ready = true;
    log.info(
        "Inlet {} node {} ready; clients dial {}:{}",
        VERSION,
        config.nodeId(),
        node.advertisedHost(),
        node.grpcPort());
  }

  /**
   * This node's part of the replicated metadata, when {@code metadata-nodes} is set: the node's
   * streams and shards are kept there.
   */
  public Optional<ReplicatedMetadata> replicatedMetadata() {
    return Optional.ofNullable(metadata);
  }

  /** Starts this node's part of the replicated metadata. */
  private void startMetadata(MetadataSettings settings) {
    try {
      metadata = ReplicatedMetadata.start(settings);
    } catch (IOException e) {
      throw StartupFailures.bindFailure(
          e, "metadata-nodes", settings.self().map(p -> p.address().port()).orElse(0));
    }
    opened.push(metadata);
    metadataCatchUp = MetadataCatchUp.start(metadata);
    opened.push(metadataCatchUp);
  }

  /** This node's part of the replicated shard log: its replicas and replication service. */
  private void startReplication(ReplicationSettings settings) {
    try {
      replication =
          ReplicationNode.start(
              Integer.toString(config.nodeId()),
              config.bind(),
              settings.port(),
              settings.dir(),
              settings.segmentLogOptions(),
              settings.tls());
    } catch (ReplicationException e) {
      throw StartupFailures.bindFailure(new IOException(e), "replication-port", settings.port());
    }
    opened.push(replication);
    log.info(
        "shard replication on {}:{}, replicas in {}",
        config.bind(),
        replication.self().port(),
        settings.dir());
  }

  private void joinCluster(ClusterSettings cluster) {
    try {
      membership.join(cluster, mqttPort());
    } catch (RuntimeException e) {
      // scalecube wraps the listen failure: a port in use gets the usual one line.
      throw StartupFailures.bindFailure(new IOException(e), "gossip-port", cluster.gossipPort());
    }
  }

  /** One warning line per port that lets clients in without credentials beyond loopback. */
  private void warnUnauthenticatedPorts() {
    MqttListener m = mqttListener;
    UnauthenticatedPorts.Bound ports =
        new UnauthenticatedPorts.Bound(
            grpc.getPort(),
            exhookPort(),
            http.port(),
            m == null ? -1 : m.tcpPort(),
            m == null ? -1 : m.tlsPort(),
            m == null ? -1 : m.webSocketPort());
    for (String warning : UnauthenticatedPorts.warnings(config, ports)) {
      log.warn("UNAUTHENTICATED: {}", warning);
    }
  }

  private void awaitGrpcTermination() throws InterruptedException {
    Server server = grpc;
    server.shutdown();
    if (!server.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn(
          "calls still running after shutdown-timeout ({}); cancelling them",
          config.shutdownTimeout());
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    log.info("gRPC stopped");
  }

  HttpEndpoints.Readiness readiness() {
    StreamStore s = store;
    Server g = grpc;
    HttpEndpoints h = http;
    // Not ready while the node refuses writes (a full disk): load balancers then send elsewhere.
    String refused = writesRefused().orElse(null);
    // Not ready while behind the replicated metadata, or cut off from its majority.
    MetadataCatchUp catchUp = metadataCatchUp;
    String metadataLag = catchUp == null ? null : catchUp.lag().orElse(null);
    // Publishes are refused until the cluster's runtime mapping rules are read (MqttIngest).
    MqttIngest ingest = mqtt;
    boolean rulesUnread = ingest != null && !ingest.rules().isRead();
    boolean up =
        ready && closing.get() == 0 && refused == null && metadataLag == null && !rulesUnread;
    return new HttpEndpoints.Readiness(
        up,
        s != null && closing.get() == 0,
        g == null ? -1 : g.getPort(),
        h == null ? -1 : h.port(),
        refused,
        metadataLag,
        rulesUnread);
  }

  /**
   * Why this node refuses writes now: its store, or in a cluster its replica store, after a failed
   * write (a full disk); empty while it takes them.
   */
  private Optional<String> writesRefused() {
    StreamStore s = store;
    ReplicationNode r = replication;
    Optional<String> refused = s == null ? Optional.empty() : s.writesRefused();
    return refused.isEmpty() && r != null ? r.writesRefused() : refused;
  }

  public ServerConfig config() {
    return config;
  }

  public LocalNode node() {
    return node;
  }

  /** {@code host:port} of this node's cluster gossip, or null when it runs alone (no seeds). */
  public String gossipAddress() {
    NodeMembership m = membership;
    return m == null ? null : m.gossipAddress();
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return http.port();
  }

  /** The MQTT listener, or null when it is off. */
  public MqttListener mqttListener() {
    return mqttListener;
  }

  /** The plain MQTT port, or -1 when not listening. */
  public int mqttPort() {
    MqttListener m = mqttListener;
    return m == null ? -1 : m.tcpPort();
  }

  /** The EMQX ExHook port, or -1 when ExHook is not running (off, or its default port taken). */
  public int exhookPort() {
    ExHookServer e = exhook;
    return e == null ? -1 : e.port();
  }

  /** The EMQX ExHook provider, or null when it is not running. */
  public ExHookServer exhook() {
    return exhook;
  }

  /** The one way other ingresses (MQTT, ExHook, CDC) append to this node's streams. */
  public StreamAppender appender() {
    return appender;
  }

  /** The node's store: with {@code metadata-nodes}, the cluster's streams over the local store. */
  public StreamStore store() {
    StreamStore s = nodeStore;
    return s == null ? store : s;
  }

  /**
   * The node's one {@link MessageIngestor}: MQTT messages through the mapping rules into streams.
   * Every MQTT path (the listener, the bridges, ExHook) uses it.
   */
  public MessageIngestor ingestor() {
    return mqtt.ingestor();
  }

  /** The MQTT ingest path: rules, counters, bridges. */
  public MqttIngest mqtt() {
    return mqtt;
  }

  /** The node's connectors (HStream IO); the SQL layer creates them through its runtime. */
  public Connectors connectors() {
    return connectors;
  }

  /** The node's meters, as {@code GET /metrics} serves them. */
  public InletMetrics metrics() {
    return metrics;
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    if (closing.getAndIncrement() > 0) {
      return;
    }
    ready = false;
    if (!opened.isEmpty()) {
      log.info("shutting down");
    }
    opened.closeAll();
    if (store != null) {
      log.info("store closed; Inlet stopped");
    }
    closed.countDown();
  }
}
