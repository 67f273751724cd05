package io.inlet.bridge.client;

import io.inlet.api.ingest.MessageIngestor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node's bridges to upstream brokers: one {@link BridgeConnection} per configured {@link
 * BridgeSpec}, all feeding the same {@link MessageIngestor}.
 *
 * <p>{@link #start} returns at once (connections come up in the background and retry with backoff);
 * {@link #close} stops them all, each after its messages in flight were acknowledged, within the
 * drain time. Idempotent close.
 */
public final class BridgeManager implements AutoCloseable {
  private final List<BridgeConnection> connections;
  private final Duration drain;
  private boolean closed;

  private BridgeManager(List<BridgeConnection> connections, Duration drain) {
    this.connections = List.copyOf(connections);
    this.drain = drain;
  }

  /**
   * Starts a connection per bridge.
   *
   * @param nodeId used in the default client id, {@code inlet-<nodeId>-<bridge name>}
   * @param drain how long close waits for messages being stored
   * @throws InvalidBridgeException when two bridges share a name or a client id, or TLS files
   *     cannot be loaded
   */
  public static BridgeManager start(
      List<BridgeSpec> bridges, MessageIngestor ingestor, int nodeId, Duration drain) {
    Set<String> names = new HashSet<>();
    Set<String> clientIds = new HashSet<>();
    List<BridgeConnection> connections = new ArrayList<>();
    for (BridgeSpec spec : bridges) {
      if (!names.add(spec.name())) {
        throw new InvalidBridgeException(
            "name", "bridge \"" + spec.name() + "\" appears twice in the config file");
      }
      String clientId = clientId(spec, nodeId);
      if (!clientIds.add(spec.host() + ":" + spec.port() + "/" + clientId)) {
        throw new InvalidBridgeException(
            "client-id",
            "bridge \""
                + spec.name()
                + "\": client-id "
                + clientId
                + " is used by another bridge to the same broker; the two would take each"
                + " other's session");
      }
      UpstreamClient client =
          spec.protocol() == MqttProtocol.V5
              ? new Mqtt5Upstream(spec, clientId)
              : new Mqtt3Upstream(spec, clientId);
      connections.add(new BridgeConnection(spec, clientId, ingestor, client, Clock.systemUTC()));
    }
    BridgeManager manager = new BridgeManager(connections, drain);
    connections.forEach(BridgeConnection::start);
    return manager;
  }

  /** The client id a bridge connects with. */
  public static String clientId(BridgeSpec spec, int nodeId) {
    return spec.clientId() != null ? spec.clientId() : "inlet-" + nodeId + "-" + spec.name();
  }

  /** Every bridge's status, in config order. */
  public List<BridgeStatus> statuses() {
    List<BridgeStatus> statuses = new ArrayList<>(connections.size());
    connections.forEach(c -> statuses.add(c.status()));
    return statuses;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Stop taking messages everywhere first, so the drain of one bridge does not let others run on.
    connections.forEach(BridgeConnection::stopTaking);
    for (BridgeConnection connection : connections) {
      connection.close(drain);
    }
  }
}
