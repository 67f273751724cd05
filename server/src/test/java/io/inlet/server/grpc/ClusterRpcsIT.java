package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.inlet.api.hstream.AdminCommandRequest;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.LookupKeyRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ResourceType;
import io.inlet.api.hstream.ServerNode;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterRpcsIT {
  @TempDir static Path dataDir;
  static InletServer server;
  static GrpcClient client;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    client = new GrpcClient(server.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void describe_cluster_lists_this_node_running() {
    DescribeClusterResponse cluster = client.stub().describeCluster(Empty.getDefaultInstance());
    assertThat(cluster.getProtocolVersion()).isEqualTo("0.20.3");
    assertThat(cluster.getServerNodesList()).hasSize(1);
    ServerNode node = cluster.getServerNodes(0);
    assertThat(node.getId()).isEqualTo(1);
    assertThat(node.getHost()).isEqualTo("127.0.0.1");
    assertThat(node.getPort()).isEqualTo(server.grpcPort());
    assertThat(cluster.getServerNodesStatus(0).getState()).isEqualTo(NodeState.Running);
    assertThat(cluster.getServerNodesStatus(0).getNode()).isEqualTo(node);
    assertThat(cluster.getClusterUpTime()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void lookups_answer_this_node_for_existing_resources() {
    client.createStream("lookups", 2);
    long shard = client.shardIds("lookups").get(0);
    ServerNode self = client.stub().describeCluster(Empty.getDefaultInstance()).getServerNodes(0);

    var byShard =
        client.stub().lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build());
    assertThat(byShard.getShardId()).isEqualTo(shard);
    assertThat(byShard.getServerNode()).isEqualTo(self);
    assertThat(
            client.stub().lookupKey(LookupKeyRequest.newBuilder().setPartitionKey("any").build()))
        .isEqualTo(self);
    assertThat(lookup(ResourceType.ResStream, "lookups")).isEqualTo(self);
    assertThat(lookup(ResourceType.ResShard, Long.toString(shard))).isEqualTo(self);
    client
        .stub()
        .createShardReader(
            CreateShardReaderRequest.newBuilder()
                .setReaderId("lookup-reader")
                .setStreamName("lookups")
                .setShardId(shard)
                .build());
    assertThat(lookup(ResourceType.ResShardReader, "lookup-reader")).isEqualTo(self);
  }

  @Test
  void lookups_answer_for_resources_not_created_yet_as_hstreamdb_does() {
    ServerNode self = client.stub().describeCluster(Empty.getDefaultInstance()).getServerNodes(0);
    assertThat(
            client
                .stub()
                .lookupShard(LookupShardRequest.newBuilder().setShardId(987_654_321L).build())
                .getServerNode())
        .isEqualTo(self);
    for (ResourceType type :
        List.of(
            ResourceType.ResStream,
            ResourceType.ResSubscription,
            ResourceType.ResShard,
            ResourceType.ResShardReader,
            ResourceType.ResConnector,
            ResourceType.ResQuery)) {
      assertThat(lookup(type, "not-created-" + type)).as(type.name()).isEqualTo(self);
    }
    // A view is found through its query: it must exist, in HStreamDB too.
    assertFails(
        () -> lookup(ResourceType.ResView, "v"), Status.Code.NOT_FOUND, ErrorCode.ViewNotFound);
    assertFails(
        () ->
            client
                .stub()
                .lookupResource(
                    LookupResourceRequest.newBuilder().setResTypeValue(42).setResId("x").build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.InternalError);
  }

  @Test
  void methods_no_group_serves_answer_unimplemented_with_a_message() {
    assertFails(
        () ->
            client
                .stub()
                .sendAdminCommand(
                    AdminCommandRequest.newBuilder().setCommand("server status").build()),
        Status.Code.UNIMPLEMENTED,
        ErrorCode.InternalError);
  }

  private static ServerNode lookup(ResourceType type, String id) {
    return client
        .stub()
        .lookupResource(LookupResourceRequest.newBuilder().setResType(type).setResId(id).build());
  }
}
