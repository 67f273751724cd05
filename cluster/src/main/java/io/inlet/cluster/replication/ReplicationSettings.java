package io.inlet.cluster.replication;

import io.inlet.cluster.transport.ClusterTls;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node serves shard replication: the port of its replication service (0: any free port), the
 * directory of its replicas, mutual TLS when the cluster's TLS files are set, the size at which a
 * replica's segment is sealed (trims and retention delete whole segments), and how long a replica
 * may be gone from the membership before its shard's leader replaces it, and how many sealed
 * segment files the replicas' log keeps open between reads.
 */
public record ReplicationSettings(
    int port,
    Path dir,
    Optional<ClusterTls> tls,
    long segmentBytes,
    Duration replaceAfter,
    int openSealedSegments) {
  /** The replication port when none is set. */
  public static final int DEFAULT_PORT = 6573;

  /** The segment size when none is set. */
  public static final long DEFAULT_SEGMENT_BYTES = SegmentLogOptions.DEFAULTS.segmentBytes();

  /** How long a replica may be gone before it is replaced, when not set. */
  public static final Duration DEFAULT_REPLACE_AFTER = Duration.ofMinutes(5);

  /**
   * The segment log options of the replicas: the defaults with this segment size and number of
   * sealed segment files kept open.
   */
  public SegmentLogOptions segmentLogOptions() {
    SegmentLogOptions d = SegmentLogOptions.DEFAULTS;
    return new SegmentLogOptions(
            segmentBytes, d.indexIntervalBytes(), d.maxEntryBytes(), d.maxGroupBytes())
        .withOpenSealedSegments(openSealedSegments);
  }

  public ReplicationSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(replaceAfter, "replaceAfter");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("replication-port must be 0..65535, found: " + port);
    }
  }
}
