package io.inlet.server.connect;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.cdc.ConnectorRuntime;
import io.inlet.cdc.grpc.ConnectorRpcs;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's connectors (HStream IO): the cdc module's runtime bound to the local store (its state
 * in the store's metadata, records through the node's appender, reads from the store), its RPCs and
 * its meters. {@link #close} stops every connector; they come back at the next start.
 */
public final class Connectors implements AutoCloseable {
  private final ConnectorRuntime runtime;
  private final RpcGroup rpcs;
  private final ExecutorService executor;

  private Connectors(ConnectorRuntime runtime, RpcGroup rpcs, ExecutorService executor) {
    this.runtime = runtime;
    this.rpcs = rpcs;
    this.executor = executor;
  }

  public static Connectors start(
      StreamStore store,
      StreamAppender appender,
      StreamProvisioner provisioner,
      MeterRegistry registry,
      String node) {
    ConnectorRuntime runtime =
        new ConnectorRuntime(
            new MetadataKeyValueStore(store.metadata()),
            appender,
            provisioner,
            new LocalStreamReader(store));
    runtime.observe(new ConnectorMetrics(registry)).start();
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
    return new Connectors(runtime, rpcs, executor);
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
    runtime.close();
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
