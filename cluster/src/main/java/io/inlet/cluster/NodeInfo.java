package io.inlet.cluster;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a node tells the others about itself, gossiped with its membership: its id, where its
 * clients reach it, its version and its state.
 *
 * @param nodeId unique in the cluster (HStreamDB's server id)
 * @param advertisedHost the host other nodes and clients use to reach this node
 * @param grpcPort the HStreamDB gRPC API's port
 * @param mqttPort the MQTT listener's port, 0 when it has none
 * @param version the software version the node runs
 * @param state the state the node reports for itself
 * @param replicationPort the port of its shard replication service, 0 when it runs none (and in the
 *     metadata of nodes older than that service)
 */
public record NodeInfo(
    int nodeId,
    String advertisedHost,
    int grpcPort,
    int mqttPort,
    String version,
    NodeState state,
    int replicationPort)
    // scalecube insists on Serializable metadata; the wire format is NodeInfoCodec's, not Java's.
    implements Serializable {

  public NodeInfo {
    if (nodeId < 0) {
      throw new IllegalArgumentException("node id must be >= 0, got " + nodeId);
    }
    Objects.requireNonNull(advertisedHost, "advertisedHost");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    checkPort("grpcPort", grpcPort);
    checkPort("mqttPort", mqttPort);
    checkPort("replicationPort", replicationPort);
  }

  /** A node that runs no shard replication service. */
  public NodeInfo(
      int nodeId,
      String advertisedHost,
      int grpcPort,
      int mqttPort,
      String version,
      NodeState state) {
    this(nodeId, advertisedHost, grpcPort, mqttPort, version, state, 0);
  }

  /** The same node in another state. */
  public NodeInfo in(NodeState newState) {
    return new NodeInfo(
        nodeId, advertisedHost, grpcPort, mqttPort, version, newState, replicationPort);
  }

  /** {@code host:port} of the node's gRPC API. */
  public String grpcAddress() {
    return HostPort.format(advertisedHost, grpcPort);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
    }
  }
}
