package io.inlet.server.sql;

import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.inlet.server.concurrent.ReconcileThread;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.LocalStreamReader;
import io.inlet.server.connect.MetadataKeyValueStore;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.sql.engine.QueryPlacement;
import io.inlet.sql.engine.SqlEngine;
import io.inlet.sql.engine.SqlEngineSettings;
import io.inlet.sql.rpc.SqlRpcs;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's SQL queries: the streaming-sql engine bound to the store (its state in the store's
 * metadata, type inference and views from the store's reads) and to the node's own gRPC service
 * through an in-process channel, which is how the queries' Flink jobs read and write streams. Flink
 * itself starts with the first query. {@link #close} stops every query with a savepoint; the next
 * start resumes them from there.
 */
public final class SqlQueries implements AutoCloseable {
  private final Server inProcess;
  private final ManagedChannel channel;
  private final SqlEngine engine;
  private final RpcGroup rpcs;
  private final ExecutorService executor;
  private Thread reconciler;

  private SqlQueries(
      Server inProcess,
      ManagedChannel channel,
      SqlEngine engine,
      RpcGroup rpcs,
      ExecutorService executor) {
    this.inProcess = inProcess;
    this.channel = channel;
    this.engine = engine;
    this.rpcs = rpcs;
    this.executor = executor;
  }

  /**
   * @param services the node's gRPC methods (the in-process server answers with them)
   * @param meters the node's meters, where each query's meters go
   * @param grpcPort the node's gRPC port, which a remote Flink cluster's jobs dial; SQL keeps its
   *     checkpoints under {@code <data-dir>/sql/}
   * @param state where the queries' definitions, schemas and views' rows are kept: the node's
   *     metadata, or the cluster's
   * @param placement which queries run on this node
   */
  public static SqlQueries open(
      StreamStore store,
      HandlerRegistry services,
      MeterRegistry meters,
      ServerConfig config,
      int grpcPort,
      MetadataCatalog state,
      QueryPlacement placement) {
    int nodeId = config.nodeId();
    Path dataDir = config.dataDir();
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "inlet-sql-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              // Not the creating thread's: a Flink task calling the node in-process creates threads
              // here, and its user-code class loader is closed when its job ends.
              t.setContextClassLoader(SqlQueries.class.getClassLoader());
              return t;
            });
    String name = "inlet-node-" + nodeId + "-" + UUID.randomUUID();
    Server server;
    try {
      server =
          InProcessServerBuilder.forName(name)
              .executor(executor)
              .fallbackHandlerRegistry(services)
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    SqlConfig sql = config.sql();
    SqlEngineSettings settings =
        SqlEngineSettings.defaults(
                dataDir.resolve("sql"),
                sql.flinkRest().isPresent()
                    ? config.advertisedAddress() + ":" + grpcPort
                    : "in-process:" + name)
            .withEventTime(sql.eventTimeField().orElse(null), sql.allowedLateness())
            .withCheckpointInterval(sql.checkpointInterval())
            .withSourceIdleTimeout(sql.sourceIdleTimeout())
            .withRestarts(sql.restartAttempts(), sql.restartResetAfter());
    if (sql.flinkRest().isPresent()) {
      settings = settings.withRemote(sql.flinkRest().get(), List.of());
    }
    SqlEngine engine =
        new SqlEngine(
            settings,
            new MetadataKeyValueStore(state),
            new LocalStreamReader(store),
            channel,
            meters,
            placement);
    RpcGroup rpcs = new SqlRpcGroup(new SqlRpcs(engine, executor, GrpcErrors::toStatus));
    return new SqlQueries(server, channel, engine, rpcs, executor);
  }

  /**
   * Restores the saved queries (call once the node's services answer); in a cluster, starts the
   * thread that reconciles this node's queries with the cluster's every second.
   */
  public void start() {
    engine.start();
    if (engine.placesQueries()) {
      reconciler = ReconcileThread.start("inlet-sql-placement", "queries", engine::reconcile);
    }
  }

  public RpcGroup rpcs() {
    return rpcs;
  }

  public SqlEngine engine() {
    return engine;
  }

  /**
   * Stops every query here with a savepoint, shared in a cluster, and stops reconciling. Called
   * before the node leaves its cluster, so that the nodes that take its queries resume exactly
   * where they stopped; {@link #close} does it too.
   */
  public void stopQueries() throws InterruptedException {
    if (reconciler != null) {
      reconciler.interrupt();
      reconciler.join(TimeUnit.SECONDS.toMillis(60));
    }
    engine.close();
  }

  @Override
  public void close() throws InterruptedException {
    stopQueries();
    channel.shutdownNow();
    inProcess.shutdownNow();
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
