package io.inlet.cluster.metadata;

import io.inlet.cluster.transport.ClusterTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a node takes part in the replicated metadata.
 *
 * <p>A node whose id is in {@code peers} is a <em>voter</em>: it runs a Raft server on the port of
 * its own entry, keeps a replica of the metadata under {@code dataDir} and serves local reads. Any
 * other node is a <em>client</em>: it runs no Raft server and sends its writes and reads to the
 * voters (which forward them to the leader), so every read it makes is linearizable and it sees
 * changes only by reading.
 *
 * @param groupName names the Raft group (the cluster's name): voters of another group refuse
 *     requests
 * @param selfId this node's id
 * @param peers the voters
 * @param dataDir where a voter keeps its Raft log and snapshots (the node's {@code raft/} folder)
 * @param requestTimeout how long a write or a linearizable read may wait for a leader and a
 *     majority before it fails with {@link MetadataUnavailableException}
 * @param snapshotEveryEntries a voter takes a snapshot after this many applied entries, then purges
 *     the log up to it
 * @param logSegmentBytes the size of one Raft log segment; only whole closed segments are purged
 * @param tls mutual TLS for every Raft connection (voters among themselves and clients to voters),
 *     or empty for plain gRPC; with it, a peer whose certificate the cluster's CA did not sign is
 *     refused during the handshake
 */
public record MetadataSettings(
    String groupName,
    int selfId,
    List<MetadataPeer> peers,
    Path dataDir,
    Duration requestTimeout,
    long snapshotEveryEntries,
    long logSegmentBytes,
    Optional<ClusterTls> tls) {

  /** The default Raft port of an entry of {@code metadata-nodes} written without one. */
  public static final int DEFAULT_RAFT_PORT = 6572;

  public MetadataSettings {
    if (groupName == null || groupName.isBlank()) {
      throw new IllegalArgumentException("the group name must be set");
    }
    peers = List.copyOf(peers);
    MetadataPeer.checkUnique(peers);
    if (dataDir == null) {
      throw new IllegalArgumentException("the data dir must be set");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be > 0, got " + requestTimeout);
    }
    tls = tls == null ? Optional.empty() : tls;
    if (snapshotEveryEntries < 1 || logSegmentBytes < 1024) {
      throw new IllegalArgumentException(
          "need snapshotEveryEntries >= 1 and logSegmentBytes >= 1024, got "
              + snapshotEveryEntries
              + "/"
              + logSegmentBytes);
    }
  }

  /** Settings with the defaults for timeouts, snapshots and log segments. */
  public static MetadataSettings of(
      String groupName, int selfId, List<MetadataPeer> peers, Path dataDir) {
    return new MetadataSettings(
        groupName,
        selfId,
        peers,
        dataDir,
        Duration.ofSeconds(10),
        10_000,
        8L << 20,
        Optional.empty());
  }

  /** This node's entry, or empty when it is a client of the group. */
  public Optional<MetadataPeer> self() {
    return peers.stream().filter(p -> p.nodeId() == selfId).findFirst();
  }

  /** The same settings with another request timeout. */
  public MetadataSettings withRequestTimeout(Duration timeout) {
    return new MetadataSettings(
        groupName, selfId, peers, dataDir, timeout, snapshotEveryEntries, logSegmentBytes, tls);
  }

  /** The same settings with another snapshot interval and log segment size. */
  public MetadataSettings withSnapshots(long everyEntries, long segmentBytes) {
    return new MetadataSettings(
        groupName, selfId, peers, dataDir, requestTimeout, everyEntries, segmentBytes, tls);
  }

  /** The same settings with mutual TLS for every Raft connection, or without it when empty. */
  public MetadataSettings withTls(Optional<ClusterTls> tls) {
    return new MetadataSettings(
        groupName,
        selfId,
        peers,
        dataDir,
        requestTimeout,
        snapshotEveryEntries,
        logSegmentBytes,
        tls);
  }
}
