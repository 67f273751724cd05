package io.inlet.server;

import io.inlet.api.auth.AuthFileException;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.ListenerBindException;
import io.inlet.bridge.listener.MqttListener;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.TlsSettings;
import io.inlet.server.config.MqttConfig;
import io.inlet.server.ingest.MqttIngest;
import io.inlet.server.metrics.MqttListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node's MQTT listener with its authenticator, and says what it listens on. */
final class MqttStartup {
  private static final Logger log = LoggerFactory.getLogger(InletServer.class);

  private MqttStartup() {}

  /**
   * @param opened receives the authenticator and the listener, to close at shutdown
   * @throws StartupException for an unusable password or ACL file, a port in use or bad TLS files
   */
  static MqttListener start(
      MqttConfig config,
      MqttIngest ingest,
      NetworkEventLoops loops,
      MeterRegistry registry,
      Duration shutdownTimeout,
      OpenedResources opened) {
    Authenticator.Settings authSettings = config.auth();
    Authenticator authenticator;
    try {
      authenticator = Authenticator.start(authSettings);
    } catch (AuthFileException e) {
      throw new StartupException(e.getMessage(), e);
    }
    opened.push(authenticator);
    ingest.authenticateWith(authenticator);
    MqttListenerSettings settings = config.listener();
    boolean certificates =
        settings.tlsSettings() != null
            && settings.tlsSettings().clientAuth() != TlsSettings.ClientAuth.NONE;
    if (!authSettings.allowAnonymous() && authSettings.passwordFile() == null && !certificates) {
      log.warn(
          "MQTT: anonymous access is off and there is no password-file (nor TLS client"
              + " certificates): only users added to the node with `inlet user add USER` (no"
              + " --password-file) can connect; or set --password-file, or --allow-anonymous"
              + " true");
    }
    MqttListener listener;
    try {
      listener =
          MqttListener.start(
              settings, authenticator, ingest.ingestor(), loops.boss(), loops.workers());
    } catch (ListenerBindException e) {
      throw new StartupException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new StartupException("MQTT TLS: " + e.getMessage(), e);
    }
    MqttListenerMetrics.bind(registry, listener);
    opened.push(
        () -> {
          listener.close(shutdownTimeout);
          log.info("MQTT stopped");
        });
    logListening(listener, settings, authSettings);
    return listener;
  }

  private static void logListening(
      MqttListener listener, MqttListenerSettings settings, Authenticator.Settings auth) {
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
        auth.allowAnonymous() ? "on" : "off",
        auth.passwordFile() == null ? "" : "; users from " + auth.passwordFile(),
        auth.aclFile() == null ? "" : "; ACL from " + auth.aclFile());
  }
}
