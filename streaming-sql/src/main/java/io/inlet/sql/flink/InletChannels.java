package io.inlet.sql.flink;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;

/** Channels to an Inlet node from the connector's {@code target} option. */
final class InletChannels {
  static final String IN_PROCESS = "in-process:";

  private InletChannels() {}

  static ManagedChannel open(String target) {
    if (target.startsWith(IN_PROCESS)) {
      return InProcessChannelBuilder.forName(target.substring(IN_PROCESS.length()))
          .directExecutor()
          .maxInboundMessageSize(Integer.MAX_VALUE)
          .build();
    }
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .build();
  }
}
