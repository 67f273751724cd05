package io.inlet.server.connect;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.cdc.ConnectorPlacement;
import io.inlet.cdc.ConnectorRuntime;
import io.inlet.cdc.grpc.ConnectorRpcs;
import io.inlet.server.concurrent.ReconcileThread;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's connectors (HStream IO): the cdc module's runtime bound to the node (its state in
 * {@code state}, records through the node's appender, reads from the store), its RPCs and its
 * meters. {@link #close} stops every connector; they come back at the next start.
 *
 * <p>In a cluster, {@code state} is the replicated metadata and the placement gives each connector
 * one node; every second ({@link ReconcileThread}) the node starts the connectors it has become the
 * owner of and stops the others ({@link ConnectorRuntime#reconcile()}).
 */
public final class Connectors implements AutoCloseable {

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
    // The replicated metadata may have no majority yet while the cluster starts: the first
    // reconcile that reads it starts this node's connectors.
    Thread reconciler =
        placed
            ? ReconcileThread.start("inlet-connector-placement", "connectors", runtime::reconcile)
            : null;
    return new Connectors(runtime, rpcs, executor, reconciler);
  }

  /** The runtime (the entry point for the SQL form CREATE SOURCE|SINK CONNECTOR). */
  public ConnectorRuntime runtime() {
    return runtime;
  }

  public RpcGroup rpcs() {
    return rpcs;
  }

  /**
   * Stops every connector here (a source's offsets and a sink's positions are saved as they stop)
   * and stops reconciling. Called before the node leaves its cluster, so that the nodes that take
   * its connectors start from where they stopped; {@link #close} does it too.
   */
  public void stopConnectors() {
    if (reconciler != null) {
      reconciler.interrupt();
    }
    runtime.close();
  }

  @Override
  public void close() throws InterruptedException {
    stopConnectors();
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
