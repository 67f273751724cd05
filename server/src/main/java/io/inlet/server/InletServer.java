package io.inlet.server;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.grpc.ClusterRpcs;
import io.inlet.server.grpc.HStreamApiDefinition;
import io.inlet.server.grpc.LateBoundRegistry;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.ReaderRpcs;
import io.inlet.server.grpc.StreamRpcs;
import io.inlet.server.grpc.StreamingReadRpcs;
import io.inlet.server.http.HttpEndpoints;
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
 * One Inlet node: the store, the HStreamApi gRPC server and the HTTP endpoints.
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
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger closing = new AtomicInteger();
  private volatile StreamStore store;
  private volatile Server grpc;
  private volatile HttpEndpoints http;
  private volatile LocalNode node;
  private volatile LocalStreamAppender appender;
  private volatile boolean ready;

  private InletServer(ServerConfig config) {
    this.config = config;
  }

  /** Starts a node on the local RocksDB store. */
  public static InletServer start(ServerConfig config) {
    return start(config, LocalStore::open);
  }

  /** Starts a node on a store opened by {@code storeOpener} (tests may pass their own). */
  public static InletServer start(
      ServerConfig config, Function<StoreOptions, StreamStore> storeOpener) {
    InletServer server = new InletServer(config);
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

    LateBoundRegistry registry = new LateBoundRegistry();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.grpcPort()))
            .executor(executor)
            .fallbackHandlerRegistry(registry)
            .maxInboundMessageSize(inboundLimit(config.maxRecordSize()))
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw bindFailure(e, "grpc-port", config.grpcPort());
    }
    grpc = server;
    opened.push(this::awaitGrpcTermination);
    node = new LocalNode(config.nodeId(), config.advertisedAddress(), server.getPort(), VERSION);

    SubscriptionRpcs subscriptions = new SubscriptionRpcs(store, node);
    opened.push(subscriptions);
    ReaderRpcs readers = new ReaderRpcs(store, node, executor);
    opened.push(readers);
    StreamingReadRpcs streamingReads = new StreamingReadRpcs(store, executor);
    opened.push(streamingReads);
    opened.push(
        () -> {
          server.shutdown();
          log.info("gRPC stopped accepting calls");
        });
    appender = new LocalStreamAppender(store, config.maxRecordSize());
    registry.set(
        HStreamApiDefinition.compose(
            List.of(
                new StreamRpcs(store, appender),
                readers,
                streamingReads,
                new ClusterRpcs(store, node, Instant.now()),
                subscriptions)));
    log.info("gRPC listening on {}:{}", config.bind(), server.getPort());

    try {
      http = HttpEndpoints.start(config.bind(), config.httpPort(), this::readiness);
    } catch (BindException e) {
      throw bindFailure(e, "http-port", config.httpPort());
    } catch (IOException e) {
      throw new StartupException(
          "cannot start HTTP on " + config.bind() + ":" + config.httpPort() + ": " + e.getMessage(),
          e);
    }
    opened.push(http);
    log.info("HTTP listening on {}:{} (/health, /ready)", config.bind(), http.port());
    ready = true;
    log.info(
        "Inlet {} node {} ready; clients dial {}:{}",
        VERSION,
        config.nodeId(),
        node.advertisedHost(),
        node.grpcPort());
  }

  private StreamStore openStore(Function<StoreOptions, StreamStore> storeOpener) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
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
          new StoreOptions(dir, config.retentionCheckInterval(), config.unsafeSkipFsync()));
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
    boolean up = ready && closing.get() == 0;
    return new HttpEndpoints.Readiness(
        up,
        s != null && closing.get() == 0,
        g == null ? -1 : g.getPort(),
        h == null ? -1 : h.port());
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

  /** The one way other ingresses (MQTT, ExHook, CDC) append to this node's streams. */
  public io.inlet.api.append.StreamAppender appender() {
    return appender;
  }

  public StreamStore store() {
    return store;
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
