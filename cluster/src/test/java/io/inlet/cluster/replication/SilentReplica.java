package io.inlet.cluster.replication;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.cluster.replication.proto.SealRequest;
import io.inlet.cluster.replication.proto.SealResponse;
import io.inlet.cluster.replication.proto.ShardReplicationGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A replica that takes seal calls and never answers them, as one cut off from the leader by a
 * partition looks to it (a call into the partition ends only at its deadline). Its other calls
 * answer UNIMPLEMENTED.
 */
final class SilentReplica implements AutoCloseable {
  private final List<ServerCallStreamObserver<SealResponse>> seals = new CopyOnWriteArrayList<>();
  private final Server server;

  SilentReplica() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(
                  new ShardReplicationGrpc.ShardReplicationImplBase() {
                    @Override
                    public void seal(SealRequest request, StreamObserver<SealResponse> answer) {
                      seals.add((ServerCallStreamObserver<SealResponse>) answer);
                    }
                  })
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Replica replica() {
    return new Replica("silent", "127.0.0.1", server.getPort());
  }

  /** Seal calls received, not answered, and not given up by their caller (deadline or cancel). */
  long sealsWaiting() {
    return seals.stream().filter(s -> !s.isCancelled()).count();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
