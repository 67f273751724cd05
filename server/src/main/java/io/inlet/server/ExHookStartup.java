package io.inlet.server;

import io.inlet.api.ingest.MessageIngestor;
import io.inlet.emqx.ExHookServer;
import io.inlet.server.config.ExHookConfig;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.metrics.ConnectionMetrics;
import io.inlet.server.metrics.ExHookMetrics;
import io.inlet.server.net.GrpcListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node's EMQX ExHook provider on its own gRPC port. */
final class ExHookStartup {
  private static final Logger log = LoggerFactory.getLogger(InletServer.class);

  private ExHookStartup() {}

  /**
   * The provider, or null when it is off or its port, left at the default, is taken.
   *
   * @param opened receives the provider, to close at shutdown
   * @throws StartupException when a port set explicitly is in use, or its TLS files are unusable
   */
  static ExHookServer start(
      ServerConfig config,
      MessageIngestor ingestor,
      NetworkEventLoops loops,
      MeterRegistry registry,
      OpenedResources opened) {
    ExHookConfig settings = config.exhook();
    if (!settings.enabled()) {
      return null;
    }
    GrpcListener listener = GrpcPorts.listener(config.network().exhook());
    ExHookServer server =
        new ExHookServer(
            ingestor,
            settings.settings(config.bind()),
            builder -> listener.configure(builder, loops.boss(), loops.workers()));
    try {
      server.start();
    } catch (IOException e) {
      if (!settings.portGiven() && StartupFailures.addressInUse(e)) {
        log.warn(
            "exhook-port {} is already in use; running without EMQX ExHook (choose a port with"
                + " --exhook-port, or --exhook-enabled false)",
            settings.port());
        return null;
      }
      throw StartupFailures.bindFailure(e, "exhook-port", settings.port());
    }
    opened.push(() -> server.close(config.shutdownTimeout()));
    ConnectionMetrics.bind(registry, listener.connections());
    ExHookMetrics.bind(registry, server.stats());
    log.info(
        "EMQX ExHook listening on {}:{}{} (emqx.exhook.v2 and v3; message.publish on {})",
        config.bind(),
        server.port(),
        GrpcPorts.transport(config.network().exhook()),
        String.join(",", settings.topicFilters()));
    return server;
  }
}
