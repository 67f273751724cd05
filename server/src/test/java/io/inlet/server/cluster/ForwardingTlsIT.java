package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.server.testing.TlsFiles;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends forwarded between nodes whose gRPC ports speak TLS and require client certificates: two
 * nodes in one JVM, each with the same CA for its gRPC port's server and client certificates and
 * for the cluster's files; a client that appends every shard through node 1 gets every record id,
 * and each shard's records are on its owner. Before forwarding spoke TLS, the appends to node 2's
 * shards failed with UNAVAILABLE.
 */
class ForwardingTlsIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<InletServer> servers = new ArrayList<>();
  private final List<GrpcClient> clients = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (GrpcClient client : clients) {
      client.close();
    }
    for (InletServer server : servers) {
      server.close();
    }
  }

  @Test
  void appends_reach_the_owner_over_tls_with_client_certificates() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    int[] raft = {FreePorts.one(), FreePorts.one()};
    int[] gossip = {FreePorts.one(), FreePorts.one()};
    for (int id = 1; id <= 2; id++) {
      Map<String, String> settings = new HashMap<>(tls.serverSettings("grpc", true));
      settings.put("node-id", Integer.toString(id));
      settings.put("metadata-nodes", "1@127.0.0.1:" + raft[0] + ",2@127.0.0.1:" + raft[1]);
      settings.put("seeds", "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1]);
      settings.put("gossip-port", Integer.toString(gossip[id - 1]));
      settings.put("gossip-timings", "fast");
      settings.put("cluster-tls-cert-file", tls.serverCert().toString());
      settings.put("cluster-tls-key-file", tls.serverKey().toString());
      settings.put("cluster-tls-ca-file", tls.ca().toString());
      InletServer server =
          InletServer.start(ServerConfig.forTests(dir.resolve("node-" + id), settings));
      servers.add(server);
      clients.add(new GrpcClient(tlsChannel(tls, server.grpcPort())));
    }
    Await.until(
        "both nodes see each other running",
        CONVERGE,
        () ->
            servers.stream()
                .allMatch(s -> s.replicatedMetadata().orElseThrow().leaderId().isPresent()));
    GrpcClient first = clients.get(0);
    Await.until(
        "node 1 lists two running members",
        CONVERGE,
        () ->
            first
                    .stub()
                    .describeCluster(com.google.protobuf.Empty.getDefaultInstance())
                    .getServerNodesCount()
                == 2);

    first.createStream("secure", 8);
    Map<Long, Integer> owners = new HashMap<>();
    for (long shard : first.shardIds("secure")) {
      owners.put(
          shard,
          first
              .stub()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
              .getServerNode()
              .getId());
    }
    assertThat(new HashSet<>(owners.values()))
        .as("owners %s", owners)
        .containsExactlyInAnyOrder(1, 2);

    for (long shard : owners.keySet()) {
      assertThat(first.append("secure", shard, "via1-", 2).getRecordIdsCount()).isEqualTo(2);
    }
    for (Map.Entry<Long, Integer> shard : owners.entrySet()) {
      List<String> payloads =
          StreamContents.received(clients.get(shard.getValue() - 1), shard.getKey()).stream()
              .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
              .map(r -> r.getPayload().toStringUtf8())
              .toList();
      assertThat(payloads)
          .as("shard %d on node %d", shard.getKey(), shard.getValue())
          .containsExactly("via1-0", "via1-1");
    }
  }

  private static ManagedChannel tlsChannel(TlsFiles tls, int port) throws Exception {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .sslContext(
            GrpcSslContexts.configure(
                    SslContextBuilder.forClient()
                        .trustManager(tls.ca().toFile())
                        .keyManager(tls.clientCert().toFile(), tls.clientKey().toFile()))
                .build())
        .build();
  }
}
