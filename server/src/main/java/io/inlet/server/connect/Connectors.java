package io.inlet.server.connect;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.cdc.ConnectorPlacement;
import io.inlet.cdc.ConnectorRuntime;
import io.inlet.cdc.grpc.ConnectorRpcs;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connectors (HStream IO): the cdc module's runtime bound to the node (its state in
 * {@code state}, records through the node's appender, reads from the store), its RPCs and its
 * meters. {@link #close} stops every connector; they come back at the next start.
 *
 * <p>In a cluster, {@code state} is the replicated metadata and the placement gives each connector
 * one node; every {@link #RECONCILE_INTERVAL} the node starts the connectors it has become the
 * owner of and stops the others ({@link ConnectorRuntime#reconcile()}).
 */
public final class Connectors implements AutoCloseable {
  static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(Connectors.class);

  private final ConnectorRuntime runtime;
  private final RpcGroup rpcs;
  private final ExecutorService executor;
  private final Thread reconciler;

  private Connectors(
      ConnectorRuntime runtime, RpcGroup rpcs, ExecutorService executor, Thread reconciler) {
    this.runtime = runtime;
    this.rpcs = rpcs;
    this.executor = executor;
    this.reconciler = reconciler;
  }

  /**
   * @param state where definitions, offsets, schema history and sink positions are kept: the
   *     store's metadata on a single node, the replicated metadata in a cluster
   * @param placement which connectors run on this node ({@link ConnectorPlacement#EVERY_CONNECTOR}
   *     on a single node)
   */
  public static Connectors start(
      StreamStore store,
      MetadataCatalog state,
      ConnectorPlacement placement,
      StreamAppender appender,
      StreamProvisioner provisioner,
      MeterRegistry registry,
      String node) {
    ConnectorRuntime runtime =
        new ConnectorRuntime(
            new MetadataKeyValueStore(state), appender, provisioner, new LocalStreamReader(store));
    runtime.observe(new ConnectorMetrics(registry)).placedBy(placement);
    boolean placed = placement != ConnectorPlacement.EVERY_CONNECTOR;
    if (!placed) {
      runtime.start();
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "inlet-connector-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    RpcGroup rpcs =
        new ConnectorRpcGroup(new ConnectorRpcs(runtime, executor, GrpcErrors::toStatus, node));
    Thread reconciler = null;
    // The replicated metadata may have no majority yet while the cluster starts: the first
    // reconcile that reads it starts this node's connectors.
    if (placed) {
      reconciler = new Thread(() -> reconcileUntilClosed(runtime), "inlet-connector-placement");
      reconciler.setDaemon(true);
      reconciler.start();
    }
    return new Connectors(runtime, rpcs, executor, reconciler);
  }

  private static void reconcileUntilClosed(ConnectorRuntime runtime) {
    boolean failing = false;
    while (!runtime.isClosed()) {
      try {
        runtime.reconcile();
        failing = false;
      } catch (RuntimeException e) {
        // The metadata has no majority now (the cluster starts, or lost nodes): the next round
        // tries again. Said once per outage.
        if (!failing) {
          log.warn("connectors not reconciled with the cluster's metadata: {}", e.getMessage());
        }
        failing = true;
      }
      try {
        Thread.sleep(RECONCILE_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The runtime (the entry point for the SQL form CREATE SOURCE|SINK CONNECTOR). */
  public ConnectorRuntime runtime() {
    return runtime;
  }

  public RpcGroup rpcs() {
    return rpcs;
  }

  @Override
  public void close() throws InterruptedException {
    if (reconciler != null) {
      reconciler.interrupt();
    }
    runtime.close();
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
