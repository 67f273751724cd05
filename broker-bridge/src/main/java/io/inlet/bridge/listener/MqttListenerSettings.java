package io.inlet.bridge.listener;

import java.time.Duration;
import java.util.Objects;

/**
 * What the MQTT listener listens on and the protocol limits it enforces. Validated by whoever
 * builds it (the server's options); immutable.
 *
 * @param bindAddress address every endpoint binds to
 * @param tcp plain MQTT endpoint, or null for none
 * @param tls MQTT over TLS endpoint, or null for none (needs {@code tlsSettings})
 * @param webSocket MQTT over WebSocket endpoint, or null for none
 * @param webSocketPath HTTP path of the WebSocket endpoint, e.g. {@code /mqtt}
 * @param tlsSettings certificates for the TLS endpoint, or null
 * @param maxPacketSize largest MQTT packet accepted (bytes); advertised to MQTT 5 clients
 * @param receiveMaximum QoS 1/2 publishes a client may have unacknowledged; advertised to MQTT 5
 *     clients (one exceeding it is disconnected), and the point where reading from any client
 *     pauses until acknowledgements catch up
 * @param maxSessionExpirySeconds cap on a persistent session's expiry after its client disconnects
 * @param topicAliasMaximum topic aliases an MQTT 5 client may use (0 = none)
 * @param keepAliveMaxSeconds cap on the keep-alive a client may ask for (also used when it asks for
 *     0); MQTT 5 clients are told with Server Keep Alive
 * @param unmatchedPublish what to do with an MQTT 3 publish that matches no rule or is rejected
 * @param deniedPublish what to do with an MQTT 3 publish the ACL denies
 * @param connectTimeout how long a new connection may take to send CONNECT
 */
public record MqttListenerSettings(
    String bindAddress,
    Endpoint tcp,
    Endpoint tls,
    Endpoint webSocket,
    String webSocketPath,
    TlsSettings tlsSettings,
    int maxPacketSize,
    int receiveMaximum,
    long maxSessionExpirySeconds,
    int topicAliasMaximum,
    int keepAliveMaxSeconds,
    RefusedPublishPolicy unmatchedPublish,
    RefusedPublishPolicy deniedPublish,
    Duration connectTimeout) {

  public MqttListenerSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(webSocketPath, "webSocketPath");
    Objects.requireNonNull(unmatchedPublish, "unmatchedPublish");
    Objects.requireNonNull(deniedPublish, "deniedPublish");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (tls != null && tlsSettings == null) {
      throw new IllegalArgumentException("a TLS endpoint needs tlsSettings");
    }
    if (maxPacketSize < 64 || receiveMaximum < 1 || receiveMaximum > 65535) {
      throw new IllegalArgumentException("maxPacketSize >= 64 and receiveMaximum 1..65535");
    }
    if (topicAliasMaximum < 0 || topicAliasMaximum > 65535) {
      throw new IllegalArgumentException("topicAliasMaximum must be 0..65535");
    }
    if (keepAliveMaxSeconds < 1 || keepAliveMaxSeconds > 65535) {
      throw new IllegalArgumentException("keepAliveMaxSeconds must be 1..65535");
    }
  }

  /**
   * A port to listen on.
   *
   * @param port the port; 0 picks a free one
   * @param optional when true and the port is in use, the endpoint is skipped with a warning
   *     instead of failing the start (for ports left at their default)
   * @param setting the name of the setting that chose the port, for messages
   */
  public record Endpoint(int port, boolean optional, String setting) {}

  /** Plain TCP on an ephemeral loopback port, every limit at its default: for tests. */
  public static MqttListenerSettings forTests() {
    return new MqttListenerSettings(
        "127.0.0.1",
        new Endpoint(0, false, "mqtt-port"),
        null,
        null,
        "/mqtt",
        null,
        1 << 20,
        32,
        7200,
        10,
        65535,
        RefusedPublishPolicy.DROP,
        RefusedPublishPolicy.DROP,
        Duration.ofSeconds(10));
  }

  public MqttListenerSettings withEndpoints(Endpoint tcp, Endpoint tls, Endpoint webSocket) {
    return new MqttListenerSettings(
        bindAddress,
        tcp,
        tls,
        webSocket,
        webSocketPath,
        tlsSettings,
        maxPacketSize,
        receiveMaximum,
        maxSessionExpirySeconds,
        topicAliasMaximum,
        keepAliveMaxSeconds,
        unmatchedPublish,
        deniedPublish,
        connectTimeout);
  }

  public MqttListenerSettings withTls(Endpoint tls, TlsSettings tlsSettings) {
    return new MqttListenerSettings(
        bindAddress,
        tcp,
        tls,
        webSocket,
        webSocketPath,
        tlsSettings,
        maxPacketSize,
        receiveMaximum,
        maxSessionExpirySeconds,
        topicAliasMaximum,
        keepAliveMaxSeconds,
        unmatchedPublish,
        deniedPublish,
        connectTimeout);
  }

  public MqttListenerSettings withLimits(
      int maxPacketSize, int receiveMaximum, int topicAliasMaximum, int keepAliveMaxSeconds) {
    return new MqttListenerSettings(
        bindAddress,
        tcp,
        tls,
        webSocket,
        webSocketPath,
        tlsSettings,
        maxPacketSize,
        receiveMaximum,
        maxSessionExpirySeconds,
        topicAliasMaximum,
        keepAliveMaxSeconds,
        unmatchedPublish,
        deniedPublish,
        connectTimeout);
  }

  public MqttListenerSettings withConnectTimeout(Duration connectTimeout) {
    return new MqttListenerSettings(
        bindAddress,
        tcp,
        tls,
        webSocket,
        webSocketPath,
        tlsSettings,
        maxPacketSize,
        receiveMaximum,
        maxSessionExpirySeconds,
        topicAliasMaximum,
        keepAliveMaxSeconds,
        unmatchedPublish,
        deniedPublish,
        connectTimeout);
  }

  public MqttListenerSettings withPolicies(
      RefusedPublishPolicy unmatchedPublish, RefusedPublishPolicy deniedPublish) {
    return new MqttListenerSettings(
        bindAddress,
        tcp,
        tls,
        webSocket,
        webSocketPath,
        tlsSettings,
        maxPacketSize,
        receiveMaximum,
        maxSessionExpirySeconds,
        topicAliasMaximum,
        keepAliveMaxSeconds,
        unmatchedPublish,
        deniedPublish,
        connectTimeout);
  }
}
