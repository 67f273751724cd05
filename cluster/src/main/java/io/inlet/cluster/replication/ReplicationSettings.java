package io.inlet.cluster.replication;

import io.inlet.cluster.transport.ClusterTls;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node serves shard replication: the port of its replication service (0: any free port), the
 * directory of its replicas, and mutual TLS when the cluster's TLS files are set.
 */
public record ReplicationSettings(int port, Path dir, Optional<ClusterTls> tls) {
  /** The replication port when none is set. */
  public static final int DEFAULT_PORT = 6573;

  public ReplicationSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(tls, "tls");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("replication-port must be 0..65535, found: " + port);
    }
  }
}
