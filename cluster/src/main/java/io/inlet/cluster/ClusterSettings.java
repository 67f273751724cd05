package io.inlet.cluster;

import io.inlet.cluster.transport.ClusterTls;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node joins its cluster.
 *
 * @param clusterName nodes with another name ignore this one (scalecube's membership namespace)
 * @param advertisedHost the host the other members reach this node's gossip port on; never guessed,
 *     because scalecube would advertise {@code InetAddress.getLocalHost()}
 * @param gossipPort the port SWIM gossip listens on (all interfaces); 0 picks a free one
 * @param seeds members to contact first; empty for the first node of a cluster
 * @param timings failure detection and gossip intervals
 * @param tls mutual TLS between the nodes, or empty for plain TCP
 */
public record ClusterSettings(
    String clusterName,
    String advertisedHost,
    int gossipPort,
    List<HostPort> seeds,
    Timings timings,
    Optional<ClusterTls> tls) {

  /** The default gossip port. */
  public static final int DEFAULT_GOSSIP_PORT = 6571;

  public ClusterSettings {
    try {
      checkName(clusterName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster name " + e.getMessage());
    }
    if (advertisedHost == null || advertisedHost.isBlank()) {
      throw new IllegalArgumentException("the advertised host must be set");
    }
    if (gossipPort < 0 || gossipPort > 65_535) {
      throw new IllegalArgumentException("gossip port must be 0..65535, got " + gossipPort);
    }
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(tls, "tls");
  }

  /**
   * Returns {@code name} if it can name a cluster.
   *
   * @throws IllegalArgumentException saying what a name may hold
   */
  static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; got '"
              + name
              + "'");
    }
    return name;
  }

  /**
   * Intervals of SWIM's failure detector and gossip, in milliseconds.
   *
   * @param pingIntervalMs how often a node probes one other member
   * @param pingTimeoutMs how long a probe waits before asking others to probe indirectly
   * @param suspicionMultiplier how many gossip rounds a suspected member has to refute it
   * @param syncIntervalMs how often a node syncs its whole membership table with one member
   */
  public record Timings(
      int pingIntervalMs, int pingTimeoutMs, int suspicionMultiplier, int syncIntervalMs) {

    /** For nodes on one LAN: a killed node is declared dead after about ten seconds. */
    public static Timings lan() {
      return new Timings(1_000, 500, 5, 30_000);
    }

    /** For nodes on one machine or in one rack: failures seen in a few seconds. */
    public static Timings fast() {
      return new Timings(200, 100, 3, 2_000);
    }

    public Timings {
      if (pingIntervalMs <= 0 || pingTimeoutMs <= 0 || pingTimeoutMs >= pingIntervalMs) {
        throw new IllegalArgumentException(
            "need 0 < ping timeout < ping interval, got " + pingTimeoutMs + "/" + pingIntervalMs);
      }
      if (suspicionMultiplier < 1 || syncIntervalMs <= 0) {
        throw new IllegalArgumentException("suspicion multiplier and sync interval must be > 0");
      }
    }
  }
}
