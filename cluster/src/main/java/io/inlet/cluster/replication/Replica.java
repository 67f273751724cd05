package io.inlet.cluster.replication;

import java.util.Objects;

/**
 * A node holding a copy of a shard: its id and the address of its replication service.
 *
 * @param id the node's id, unique in the cluster
 * @param host the host its replication service listens on
 * @param port that service's port
 */
public record Replica(String id, String host, int port) {
  public Replica {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, found: " + port);
    }
  }

  @Override
  public String toString() {
    return id + "@" + host + ":" + port;
  }
}
