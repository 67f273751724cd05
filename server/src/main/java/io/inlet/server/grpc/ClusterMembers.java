package io.inlet.server.grpc;

import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNodeStatus;
import java.util.List;

/** The nodes DescribeCluster lists, each with its state, this node included. */
public interface ClusterMembers {

  List<ServerNodeStatus> statuses();

  /** A node that runs alone: itself, Running. */
  static ClusterMembers single(LocalNode node) {
    return () ->
        List.of(
            ServerNodeStatus.newBuilder()
                .setNode(node.toServerNode())
                .setState(NodeState.Running)
                .build());
  }
}
