package io.inlet.server.grpc;

import io.inlet.api.hstream.HStreamVersion;
import io.inlet.api.hstream.ServerNode;

/**
 * This node as clients should dial it: its id and the advertised gRPC address. Lookups and
 * DescribeCluster answer with it.
 */
public record LocalNode(int id, String advertisedHost, int grpcPort, String version) {

  public ServerNode toServerNode() {
    return ServerNode.newBuilder()
        .setId(id)
        .setHost(advertisedHost)
        .setPort(grpcPort)
        .setVersion(HStreamVersion.newBuilder().setVersion(version))
        .build();
  }
}
