package io.inlet.cluster;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's settings. A node given {@code seeds} joins the cluster they belong to; without them
 * it runs alone and opens no gossip port.
 */
public final class ClusterConfigKeys {
  private ClusterConfigKeys() {}

  public static final Option<Optional<List<HostPort>>> SEEDS =
      Option.of(
          "seeds",
          "host:port list",
          "comma-separated",
          "<none: the node runs alone>",
          "Gossip addresses (host:gossip-port) of members to join through. Give every node the"
              + " same list; a node's own address in it is fine, and one reachable seed is"
              + " enough. Set, the node joins the cluster (SWIM membership) and DescribeCluster"
              + " lists every member; unset, the node runs alone and opens no gossip port.",
          ClusterConfigKeys::parseSeeds);

  public static final Option<Integer> GOSSIP_PORT =
      Option.of(
          "gossip-port",
          "port",
          "",
          Integer.toString(ClusterSettings.DEFAULT_GOSSIP_PORT),
          "Port of the cluster's gossip (SWIM) when seeds are set; it listens on every interface"
              + " (scalecube binds 0.0.0.0), so firewall it to the cluster's nodes. 0 picks a free"
              + " port.",
          ValueParsers.port());

  public static final Option<String> CLUSTER_NAME =
      Option.of(
          "cluster-name",
          "name",
          "",
          "inlet",
          "Name of the cluster; a node with another name is not admitted as a member.",
          ClusterSettings::checkName);

  public static final Option<String> GOSSIP_TIMINGS =
      Option.of(
          "gossip-timings",
          "lan or fast",
          "",
          "lan",
          "Failure detection: lan declares a killed node dead in about ten seconds; fast, for"
              + " nodes on one machine or one rack, in a few seconds (more gossip traffic).",
          ValueParsers.oneOf(Set.of("lan", "fast")));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(SEEDS, GOSSIP_PORT, CLUSTER_NAME, GOSSIP_TIMINGS);

  /** How to join, or empty when the node runs alone (no seeds). */
  public static Optional<ClusterSettings> settings(OptionValues values, String advertisedHost) {
    // Every key is read (and so checked) even when the node runs alone.
    String name = values.get(CLUSTER_NAME);
    int gossipPort = values.get(GOSSIP_PORT);
    ClusterSettings.Timings timings =
        values.get(GOSSIP_TIMINGS).equals("fast")
            ? ClusterSettings.Timings.fast()
            : ClusterSettings.Timings.lan();
    return values
        .get(SEEDS)
        .map(seeds -> new ClusterSettings(name, advertisedHost, gossipPort, seeds, timings));
  }

  private static Optional<List<HostPort>> parseSeeds(String text) {
    List<String> parts =
        Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("must list at least one host:port");
    }
    try {
      return Optional.of(parts.stream().map(HostPort::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be host:port[,host:port...]: " + e.getMessage());
    }
  }
}
