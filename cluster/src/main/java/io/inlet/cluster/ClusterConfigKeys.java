package io.inlet.cluster;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import io.inlet.cluster.metadata.MetadataPeer;
import io.inlet.cluster.metadata.MetadataSettings;
import io.inlet.cluster.replication.ReplicationSettings;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.store.StoreConfigKeys;
import java.nio.file.Path;
import java.time.Duration;
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

  public static final Option<Optional<Path>> CLUSTER_TLS_CERT_FILE =
      Option.of(
          "cluster-tls-cert-file",
          "path",
          "",
          "<none: plain TCP between nodes>",
          "This node's certificate chain (PEM) for mutual TLS between the nodes (gossip and the"
              + " metadata's Raft). Its"
              + " subjectAltName must name the node's advertised address: peers check it. Needs"
              + " cluster-tls-key-file and cluster-tls-ca-file; every node of the cluster must use"
              + " TLS, a plain node is not admitted.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> CLUSTER_TLS_KEY_FILE =
      Option.of(
          "cluster-tls-key-file",
          "path",
          "",
          "<none>",
          "This node's private key (PEM, PKCS#8) for cluster-tls-cert-file.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> CLUSTER_TLS_CA_FILE =
      Option.of(
          "cluster-tls-ca-file",
          "path",
          "",
          "<none>",
          "The CA certificate(s) (PEM) that sign every node's certificate; a peer whose"
              + " certificate it did not sign is refused during the TLS handshake.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<String>> METADATA_NODES =
      Option.of(
          "metadata-nodes",
          "id@host[:port] list",
          "comma-separated",
          "<none: metadata stays on this node>",
          "The voters of the replicated metadata (a Raft group): node-id@host:raft-port for each,"
              + " the same list on every node, 3 or 5 of them (a majority must be up to write)."
              + " A node in the list keeps a replica in data-dir/raft and listens on its entry's"
              + " port; a node not in the list sends its metadata reads and writes to the voters."
              + " An entry without a port uses raft-port.",
          ClusterConfigKeys::checkMetadataNodes);

  public static final Option<Integer> RAFT_PORT =
      Option.of(
          "raft-port",
          "port",
          "",
          Integer.toString(MetadataSettings.DEFAULT_RAFT_PORT),
          "Raft port of the metadata-nodes entries written without one. A voter listens on its"
              + " entry's address: firewall it to the cluster's nodes.",
          ValueParsers.port());

  public static final Option<Integer> REPLICATION_PORT =
      Option.of(
          "replication-port",
          "port",
          "",
          Integer.toString(ReplicationSettings.DEFAULT_PORT),
          "Port of the shard replication service, on a node with metadata-nodes set: the replicas"
              + " of streams with a replicationFactor above 1 are kept in data-dir/replicas and"
              + " streamed between the nodes on this port (mutual TLS with the cluster-tls-*"
              + " files); other nodes dial it at the advertised address. It listens on the bind"
              + " address: firewall it to the cluster's nodes. 0 picks a free port.",
          ValueParsers.port());

  public static final Option<Integer> REPLICATION_SEGMENT_BYTES =
      Option.of(
          "replication-segment-bytes",
          "size",
          "bytes, KiB, MiB, GiB",
          "128MiB",
          "Size at which a replica's segment file is sealed and the next one started. Trims and"
              + " retention (backlogDuration) of replicated shards delete whole sealed segments,"
              + " so a replica keeps up to one segment more than they ask.",
          ValueParsers.byteSize(4096, 1 << 30));

  public static final Option<Duration> REPLICA_REPLACE_AFTER =
      Option.of(
          "replica-replace-after",
          "duration",
          "ms, s, m, h, d",
          "5m",
          "How long a replica of a replicated shard may be gone from the membership (Dead, or"
              + " left) before the shard's leader replaces it with a running node that holds no"
              + " replica of the shard, when there is one. The new replica catches up from the"
              + " leader; a node that comes back after it was replaced no longer holds the shard.",
          ValueParsers.duration(Duration.ofMillis(100)));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          SEEDS,
          GOSSIP_PORT,
          CLUSTER_NAME,
          GOSSIP_TIMINGS,
          CLUSTER_TLS_CERT_FILE,
          CLUSTER_TLS_KEY_FILE,
          CLUSTER_TLS_CA_FILE,
          METADATA_NODES,
          RAFT_PORT,
          REPLICATION_PORT,
          REPLICATION_SEGMENT_BYTES,
          REPLICA_REPLACE_AFTER);

  /**
   * How this node takes part in the replicated metadata, or empty when {@code metadata-nodes} is
   * not set (the node keeps its metadata in its own store).
   *
   * @param dataDir the node's data dir; the Raft log and snapshots go in its {@code raft/} folder
   * @param nodeId this node's {@code node-id}
   */
  public static Optional<MetadataSettings> metadata(OptionValues values, Path dataDir, int nodeId) {
    String name = values.get(CLUSTER_NAME);
    int raftPort = values.get(RAFT_PORT);
    Optional<ClusterTls> tls = tls(values);
    return values
        .get(METADATA_NODES)
        .map(
            text ->
                MetadataSettings.of(
                        name,
                        nodeId,
                        MetadataPeer.parseList(text, raftPort),
                        dataDir.resolve("raft"))
                    .withTls(tls));
  }

  /**
   * How this node serves shard replication, or empty when {@code metadata-nodes} is not set (shards
   * are then on this node only). The replicas' segment log keeps as many sealed segment files open
   * as the store's ({@link StoreConfigKeys#OPEN_SEALED_SEGMENTS}).
   *
   * @param dataDir the node's data dir; replicas go in its {@code replicas/} folder
   */
  public static Optional<ReplicationSettings> replication(OptionValues values, Path dataDir) {
    int port = values.get(REPLICATION_PORT);
    long segmentBytes = values.get(REPLICATION_SEGMENT_BYTES);
    Duration replaceAfter = values.get(REPLICA_REPLACE_AFTER);
    Optional<ClusterTls> tls = tls(values);
    int openSealedSegments = values.get(StoreConfigKeys.OPEN_SEALED_SEGMENTS);
    return values
        .get(METADATA_NODES)
        .map(
            nodes ->
                new ReplicationSettings(
                    port,
                    dataDir.resolve("replicas"),
                    tls,
                    segmentBytes,
                    replaceAfter,
                    openSealedSegments));
  }

  private static Optional<String> checkMetadataNodes(String text) {
    // Checked with a stand-in port: raft-port only fills in entries that omit theirs.
    try {
      MetadataPeer.parseList(text, MetadataSettings.DEFAULT_RAFT_PORT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "must be id@host[:port][,id@host[:port]...]: " + e.getMessage());
    }
    return Optional.of(text.trim());
  }

  /** How to join, or empty when the node runs alone (no seeds). */
  public static Optional<ClusterSettings> settings(OptionValues values, String advertisedHost) {
    // Every key is read (and so checked) even when the node runs alone.
    String name = values.get(CLUSTER_NAME);
    int gossipPort = values.get(GOSSIP_PORT);
    ClusterSettings.Timings timings =
        values.get(GOSSIP_TIMINGS).equals("fast")
            ? ClusterSettings.Timings.fast()
            : ClusterSettings.Timings.lan();
    Optional<ClusterTls> tls = tls(values);
    return values
        .get(SEEDS)
        .map(seeds -> new ClusterSettings(name, advertisedHost, gossipPort, seeds, timings, tls));
  }

  /**
   * Mutual TLS between the nodes, or empty when none of its three files is set.
   *
   * @throws ConfigException when only some are set, or the files cannot be used
   */
  public static Optional<ClusterTls> tls(OptionValues values) {
    Optional<Path> cert = values.get(CLUSTER_TLS_CERT_FILE);
    Optional<Path> key = values.get(CLUSTER_TLS_KEY_FILE);
    Optional<Path> ca = values.get(CLUSTER_TLS_CA_FILE);
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
      throw new ConfigException(
          "cluster-tls-cert-file, cluster-tls-key-file and cluster-tls-ca-file must be set"
              + " together");
    }
    ClusterTls tls = new ClusterTls(cert.get(), key.get(), ca.get());
    try {
      // Read the files now, so a bad one stops the start with its name, not the first handshake.
      tls.serverContext();
      tls.clientContext();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return Optional.of(tls);
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
