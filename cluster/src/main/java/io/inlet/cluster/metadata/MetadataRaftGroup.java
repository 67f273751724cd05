package io.inlet.cluster.metadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Translates {@link MetadataSettings} into Ratis' terms: the group, its peer ids and the properties
 * of a voter's server and of a client. Every Ratis setting the metadata depends on is here.
 */
final class MetadataRaftGroup {
  private static final String PEER_PREFIX = "node-";
  private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

  private MetadataRaftGroup() {}

  static RaftGroup group(MetadataSettings settings) {
    UUID id =
        UUID.nameUUIDFromBytes(
            ("inlet-metadata/" + settings.groupName()).getBytes(StandardCharsets.UTF_8));
    List<RaftPeer> peers =
        settings.peers().stream()
            .map(
                p ->
                    RaftPeer.newBuilder()
                        .setId(peerId(p.nodeId()))
                        .setAddress(p.address().toString())
                        .build())
            .toList();
    return RaftGroup.valueOf(RaftGroupId.valueOf(id), peers);
  }

  static RaftPeerId peerId(int nodeId) {
    return RaftPeerId.valueOf(PEER_PREFIX + nodeId);
  }

  static Optional<Integer> nodeId(RaftPeerId peerId) {
    if (peerId == null || !peerId.toString().startsWith(PEER_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(peerId.toString().substring(PEER_PREFIX.length())));
  }

  /** Properties of a voter's Raft server. */
  static RaftProperties serverProperties(MetadataSettings settings, MetadataPeer self) {
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(settings.dataDir().toFile()));
    GrpcConfigKeys.Server.setHost(props, self.address().host());
    GrpcConfigKeys.Server.setPort(props, self.address().port());
    // Followers answer reads too, after asking the leader for its commit index (ReadIndex).
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(props, duration(settings.requestTimeout()));
    // Elections: wide enough for a loaded machine, short enough to recover in about a second.
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        props, TimeDuration.valueOf(1200, TimeUnit.MILLISECONDS));
    // Snapshots by Ratis' policy, then the log is purged up to them; a follower that lags
    // behind the purged log is sent the snapshot.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, settings.snapshotEveryEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    RaftServerConfigKeys.Log.setPurgeGap(
        props, (int) Math.min(settings.snapshotEveryEntries(), 1024));
    SizeInBytes segment = SizeInBytes.valueOf(settings.logSegmentBytes());
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, segment);
    RaftServerConfigKeys.Log.setPreallocatedSize(
        props, SizeInBytes.valueOf(Math.min(settings.logSegmentBytes(), 4L << 20)));
    // Durability: the log is fsync'd before an entry counts towards a majority (Ratis' default,
    // set here so nobody turns it off by accident).
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(props, false);
    return props;
  }

  /**
   * A client of the group that retries (finding the leader) until the request timeout has passed
   * since a request was first sent, and not after: a request the caller was told had failed is not
   * still being retried in the background.
   */
  static RaftClient client(MetadataSettings settings, RaftGroup group) {
    RaftProperties props = new RaftProperties();
    Duration timeout = settings.requestTimeout();
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        props,
        duration(timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3)));
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(props)
        .setParameters(parameters(settings))
        .setRetryPolicy(retryUntil(duration(timeout)))
        .build();
  }

  private static RetryPolicy retryUntil(TimeDuration timeout) {
    RetryPolicy everyRetrySleep = RetryPolicies.retryForeverWithSleep(RETRY_SLEEP);
    RequestTypeDependentRetryPolicy.Builder policy = RequestTypeDependentRetryPolicy.newBuilder();
    for (TypeCase type :
        List.of(TypeCase.WRITE, TypeCase.READ, TypeCase.STALEREAD, TypeCase.WATCH)) {
      policy.setRetryPolicy(type, everyRetrySleep).setTimeout(type, timeout);
    }
    return policy.build();
  }

  /**
   * What Ratis takes besides properties: the TLS set-up, the same for a voter's server (which also
   * dials the other voters) and for a client.
   */
  static Parameters parameters(MetadataSettings settings) {
    Parameters parameters = new Parameters();
    settings
        .tls()
        .ifPresent(
            tls -> {
              GrpcTlsConfig mutual =
                  new GrpcTlsConfig(
                      tls.keyFile().toFile(), tls.certFile().toFile(), tls.caFile().toFile(), true);
              GrpcConfigKeys.Server.setTlsConf(parameters, mutual);
              GrpcConfigKeys.Client.setTlsConf(parameters, mutual);
              GrpcConfigKeys.Admin.setTlsConf(parameters, mutual);
            });
    return parameters;
  }

  private static TimeDuration duration(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
