package io.inlet.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.api.record.BatchValidator;
import io.inlet.bridge.auth.AuthFileException;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.listener.ListenerBindException;
import io.inlet.bridge.listener.MqttListener;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.emqx.ExHookServer;
import io.inlet.server.config.ExHookConfig;
import io.inlet.server.config.MqttConfig;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.Connectors;
import io.inlet.server.grpc.CallExecutors;
import io.inlet.server.grpc.ClusterRpcs;
import io.inlet.server.grpc.HStreamApiDefinition;
import io.inlet.server.grpc.LateBoundRegistry;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.ReaderRpcs;
import io.inlet.server.grpc.StreamRpcs;
import io.inlet.server.grpc.StreamingReadRpcs;
import io.inlet.server.http.HttpEndpoints;
import io.inlet.server.ingest.MqttIngest;
import io.inlet.server.ingest.StoreStreamProvisioner;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.server.metrics.BridgeMetrics;
import io.inlet.server.metrics.ConnectionMetrics;
import io.inlet.server.metrics.ExHookMetrics;
import io.inlet.server.metrics.GrpcMetrics;
import io.inlet.server.metrics.GrpcMetricsInterceptor;
import io.inlet.server.metrics.IngestMetrics;
import io.inlet.server.metrics.InletMetrics;
import io.inlet.server.metrics.MqttListenerMetrics;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.server.net.GrpcListener;
import io.inlet.server.net.GrpcListenerSettings;
import io.inlet.server.read.CheckedStore;
import io.inlet.server.read.DamagedBatches;
import io.inlet.server.sql.SqlQueries;
import io.inlet.server.stats.StatsRpcs;
import io.inlet.server.stats.StatsSampler;
import io.inlet.server.subscription.SubscriptionRpcs;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger closing = new AtomicInteger();
  private volatile InletMetrics metrics;
  private volatile StreamStore store;
  private volatile Server grpc;
  private volatile HttpEndpoints http;
  private volatile LocalNode node;
  private volatile LocalStreamAppender appender;
  private volatile MqttIngest mqtt;
  private volatile ExHookServer exhook;
  private volatile MqttListener mqttListener;
  private volatile Connectors connectors;
  private volatile boolean ready;

  private InletServer(ServerConfig config, RoutingConfig routing) {
    this.config = config;
    this.routing = routing;
  }

  /** Starts a node on the local RocksDB store, with the built-in MQTT rule and no bridges. */
  public static InletServer start(ServerConfig config) {
    return start(config, RoutingConfig.DEFAULTS);
  }

  /** Starts a node on the local RocksDB store with the config file's MQTT rules and bridges. */
  public static InletServer start(ServerConfig config, RoutingConfig routing) {
    return start(config, routing, StreamStore::open);
  }

  /** Starts a node on a store opened by {@code storeOpener} (tests may pass their own). */
  public static InletServer start(
      ServerConfig config, Function<StoreOptions, StreamStore> storeOpener) {
    return start(config, RoutingConfig.DEFAULTS, storeOpener);
  }

  /** Starts a node on a store opened by {@code storeOpener} (tests may pass their own). */
  public static InletServer start(
      ServerConfig config, RoutingConfig routing, Function<StoreOptions, StreamStore> storeOpener) {
    InletServer server = new InletServer(config, routing);
    try {
      server.doStart(storeOpener);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
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
    store = openStore(storeOpener);
    opened.push(store);
    log.info("store opened in {}", config.dataDir().toAbsolutePath().normalize());

    ExecutorService executor = newExecutor();
    opened.push(
        () -> {
          executor.shutdown();
          if (!executor.awaitTermination(
              config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            executor.shutdownNow();
          }
        });

    NetworkEventLoops loops = new NetworkEventLoops();
    opened.push(loops);

    LateBoundRegistry registry = new LateBoundRegistry();
    GrpcListener grpcListener = grpcListener(config.network().grpc());
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
            .maxInboundMessageSize(inboundLimit(config.maxRecordSize()))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw bindFailure(e, "grpc-port", config.grpcPort());
    }
    grpc = server;
    opened.push(this::awaitGrpcTermination);
    node = new LocalNode(config.nodeId(), config.advertisedAddress(), server.getPort(), VERSION);

    BatchValidator batches = new BatchValidator(config.batchLimits());
    // What the read paths see: every stored batch checked before it is handed out.
    StreamStore checked =
        new CheckedStore(store, batches, new DamagedBatches(store.streams(), metrics.registry()));
    SubscriptionRpcs subscriptions =
        new SubscriptionRpcs(
            checked, node, new SubscriptionMetrics(metrics.registry()), config.unackedLimits());
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
    appender = new LocalStreamAppender(store, batches, appendMetrics);
    StatsSampler sampler = new StatsSampler(metrics.registry(), store, appendMetrics).start();
    opened.push(sampler);
    // The one MessageIngestor of every MQTT path (listener, bridges, ExHook): close it after them.
    mqtt = MqttIngest.open(store, appender, routing);
    opened.push(mqtt);
    MqttIngest ingest = mqtt;
    IngestMetrics.bind(metrics.registry(), ingest.counters());
    BridgeMetrics.bind(
        metrics.registry(),
        routing.bridges().stream().map(BridgeSpec::name).toList(),
        ingest::bridgeStatuses);
    // Connectors (HStream IO) append through the appender and stop before the store closes.
    connectors =
        Connectors.start(
            store,
            appender,
            new StoreStreamProvisioner(store.streams()),
            metrics.registry(),
            Integer.toString(config.nodeId()));
    opened.push(connectors);
    // SQL queries (Flink starts with the first one) stop before the services they read through.
    SqlQueries sql = SqlQueries.open(store, registry, config, server.getPort());
    opened.push(sql);
    registry.set(
        ServerInterceptors.intercept(
            HStreamApiDefinition.compose(
                List.of(
                    new StreamRpcs(checked, appender::appendClientBatch),
                    readers,
                    streamingReads,
                    new ClusterRpcs(node, Instant.now()),
                    subscriptions,
                    new StatsRpcs(sampler),
                    connectors.rpcs(),
                    sql.rpcs())),
            new GrpcMetricsInterceptor(new GrpcMetrics(metrics.registry()))),
        mqtt.adminService());
    sql.start();
    log.info(
        "gRPC listening on {}:{}{}",
        config.bind(),
        server.getPort(),
        transport(config.network().grpc()));

    if (config.mqtt().enabled()) {
      startMqtt(config.mqtt(), loops, mqtt.ingestor());
    }
    exhook = startExHook(mqtt.ingestor(), loops);
    if (exhook != null) {
      ExHookMetrics.bind(metrics.registry(), exhook.stats());
    }

    try {
      InletMetrics scraped = metrics;
      http =
          HttpEndpoints.start(
              config.bind(),
              config.httpPort(),
              config.network().http(),
              this::readiness,
              new HttpEndpoints.Metrics() {
                @Override
                public String contentType() {
                  return InletMetrics.CONTENT_TYPE;
                }

                @Override
                public String scrape() {
                  return scraped.scrape();
                }
              },
              loops.boss(),
              loops.http());
    } catch (BindException e) {
      throw bindFailure(e, "http-port", config.httpPort());
    } catch (IOException e) {
      throw new StartupException(
          "cannot start HTTP on " + config.bind() + ":" + config.httpPort() + ": " + e.getMessage(),
          e);
    }
    opened.push(http);
    ConnectionMetrics.bind(metrics.registry(), http.connections());
    log.info(
        "HTTP listening on {}:{} (/metrics{}, /health, /ready)",
        config.bind(),
        http.port(),
        config.network().http().metricsToken() == null ? "" : " with a bearer token");
    warnUnauthenticatedPorts();
    mqtt.startBridges(config.nodeId(), config.shutdownTimeout());
    ready = true;
    log.info(
        "Inlet {} node {} ready; clients dial {}:{}",
        VERSION,
        config.nodeId(),
        node.advertisedHost(),
        node.grpcPort());
  }

  private void startMqtt(MqttConfig mqttConfig, NetworkEventLoops loops, MessageIngestor ingestor) {
    Authenticator.Settings authSettings = mqttConfig.auth();
    Authenticator authenticator;
    try {
      authenticator = Authenticator.start(authSettings);
    } catch (AuthFileException e) {
      throw new StartupException(e.getMessage(), e);
    }
    opened.push(authenticator);
    MqttListenerSettings settings = mqttConfig.listener();
    boolean certificates =
        settings.tlsSettings() != null
            && settings.tlsSettings().clientAuth()
                != io.inlet.bridge.listener.TlsSettings.ClientAuth.NONE;
    if (!authSettings.allowAnonymous() && authSettings.passwordFile() == null && !certificates) {
      log.warn(
          "MQTT: anonymous access is off and there is no password-file (nor TLS client"
              + " certificates): every MQTT client will be refused. Add users with `inlet user"
              + " add` and set --password-file, or set --allow-anonymous true");
    }
    MqttListener listener;
    try {
      listener =
          MqttListener.start(settings, authenticator, ingestor, loops.boss(), loops.workers());
    } catch (ListenerBindException e) {
      throw new StartupException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new StartupException("MQTT TLS: " + e.getMessage(), e);
    }
    mqttListener = listener;
    MqttListenerMetrics.bind(metrics.registry(), listener);
    opened.push(
        () -> {
          listener.close(config.shutdownTimeout());
          log.info("MQTT stopped");
        });
    String bind = settings.bindAddress();
    if (listener.tcpPort() >= 0) {
      log.info("MQTT listening on {}:{}", bind, listener.tcpPort());
    }
    if (listener.tlsPort() >= 0) {
      log.info("MQTT over TLS listening on {}:{}", bind, listener.tlsPort());
    }
    if (listener.webSocketPort() >= 0) {
      log.info(
          "MQTT over WebSocket listening on ws://{}:{}{}",
          bind,
          listener.webSocketPort(),
          settings.webSocketPath());
    }
    log.info(
        "MQTT anonymous access {}{}{}",
        authSettings.allowAnonymous() ? "on" : "off",
        authSettings.passwordFile() == null ? "" : "; users from " + authSettings.passwordFile(),
        authSettings.aclFile() == null ? "" : "; ACL from " + authSettings.aclFile());
  }

  /** The EMQX ExHook provider, or null when it is off or its default port is taken. */
  private ExHookServer startExHook(MessageIngestor ingestor, NetworkEventLoops loops) {
    ExHookConfig settings = config.exhook();
    if (!settings.enabled()) {
      return null;
    }
    GrpcListener listener = grpcListener(config.network().exhook());
    ExHookServer server =
        new ExHookServer(
            ingestor,
            settings.settings(config.bind()),
            builder -> listener.configure(builder, loops.boss(), loops.workers()));
    try {
      server.start();
    } catch (IOException e) {
      if (!settings.portGiven() && addressInUse(e)) {
        log.warn(
            "exhook-port {} is already in use; running without EMQX ExHook (choose a port with"
                + " --exhook-port, or --exhook-enabled false)",
            settings.port());
        return null;
      }
      throw bindFailure(e, "exhook-port", settings.port());
    }
    opened.push(() -> server.close(config.shutdownTimeout()));
    ConnectionMetrics.bind(metrics.registry(), listener.connections());
    log.info(
        "EMQX ExHook listening on {}:{}{} (emqx.exhook.v2 and v3; message.publish on {})",
        config.bind(),
        server.port(),
        transport(config.network().exhook()),
        String.join(",", settings.topicFilters()));
    return server;
  }

  private static GrpcListener grpcListener(GrpcListenerSettings settings) {
    try {
      return GrpcListener.create(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private static String transport(GrpcListenerSettings settings) {
    if (settings.tls() == null) {
      return "";
    }
    return settings.authenticatesClients()
        ? " over TLS, client certificates required"
        : " over TLS";
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

  private StreamStore openStore(Function<StoreOptions, StreamStore> storeOpener) {
    Path dir = config.dataDir();
    try {
      // Durable: the parent is fsync'd, or a power cut soon after the first start can take the
      // whole data dir, acknowledged records and all (docs/reliability.md).
      DurableDirectories.create(dir);
    } catch (IOException e) {
      throw new StartupException(
          "data-dir "
              + dir
              + " cannot be created: "
              + describe(e)
              + "; choose another with --data-dir",
          e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new StartupException(
          "data-dir " + dir + " is not a writable directory; choose another with --data-dir");
    }
    try {
      return storeOpener.apply(
          new StoreOptions(
              dir,
              config.retentionCheckInterval(),
              config.unsafeSkipFsync(),
              metrics.registry(),
              config.groupCommit()));
    } catch (RuntimeException e) {
      throw new StartupException("data-dir " + dir + " cannot be opened: " + describe(e), e);
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static boolean addressInUse(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static StartupException bindFailure(IOException e, String setting, int port) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new StartupException(
            setting
                + " "
                + port
                + " is already in use; choose another with --"
                + setting
                + " (0 picks a free port)",
            e);
      }
    }
    return new StartupException("cannot listen on " + setting + " " + port + ": " + describe(e), e);
  }

  static int inboundLimit(int maxRecordSize) {
    long limit = Math.max(4L * maxRecordSize, maxRecordSize + (16L << 20));
    return (int) Math.min(Integer.MAX_VALUE, limit);
  }

  private static ExecutorService newExecutor() {
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "inlet-grpc-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
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
    // Not ready while the store refuses writes (a full disk): load balancers then send elsewhere.
    String refused = s == null ? null : s.writesRefused().orElse(null);
    boolean up = ready && closing.get() == 0 && refused == null;
    return new HttpEndpoints.Readiness(
        up,
        s != null && closing.get() == 0,
        g == null ? -1 : g.getPort(),
        h == null ? -1 : h.port(),
        refused);
  }

  public ServerConfig config() {
    return config;
  }

  public LocalNode node() {
    return node;
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
  public io.inlet.api.append.StreamAppender appender() {
    return appender;
  }

  public StreamStore store() {
    return store;
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
    while (!opened.isEmpty()) {
      AutoCloseable resource = opened.pop();
      try {
        resource.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("error while shutting down: {}", e.toString());
      }
    }
    if (store != null) {
      log.info("store closed; Inlet stopped");
    }
    closed.countDown();
  }
}
