package io.inlet.bench.nullserver;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.EchoRequest;
import io.inlet.api.hstream.EchoResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListShardsResponse;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.PartitionKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server that speaks the Append path of HStreamApi and stores nothing: it answers every Append at
 * once with the record ids a store would give. Run against it, the append benchmark measures the
 * ceiling of the transport (gRPC, protobuf, HTTP/2 over loopback) and of the load generator on this
 * machine, which no real server can beat.
 */
public final class NullServer {
  private NullServer() {}

  /** Arguments: {@code --grpc-port N}; everything else a real server takes is ignored. */
  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 6570;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--grpc-port")) {
        port = Integer.parseInt(args[i + 1]);
      }
    }
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      // As `inlet server` does, so the two pay the same transport costs.
      io.netty.util.ResourceLeakDetector.setLevel(
          io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .maxInboundMessageSize(256 << 20)
            .directExecutor() // nothing here blocks: the cheapest possible dispatch
            .addService(new Api())
            .build()
            .start();
    System.out.println("null server listening on 127.0.0.1:" + server.getPort());
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "null-server-stop"));
    server.awaitTermination();
  }

  private static final class Api extends HStreamApiGrpc.HStreamApiImplBase {
    private final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> lsns = new ConcurrentHashMap<>();

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> response) {
      response.onNext(EchoResponse.newBuilder().setMsg(request.getMsg()).build());
      response.onCompleted();
    }

    @Override
    public void createStream(Stream request, StreamObserver<Stream> response) {
      shardCounts.put(request.getStreamName(), Math.max(1, request.getShardCount()));
      response.onNext(request);
      response.onCompleted();
    }

    @Override
    public void listShards(ListShardsRequest request, StreamObserver<ListShardsResponse> response) {
      int count = shardCounts.getOrDefault(request.getStreamName(), 1);
      ListShardsResponse.Builder shards = ListShardsResponse.newBuilder();
      for (int i = 0; i < count; i++) {
        shards.addShards(
            Shard.newBuilder()
                .setStreamName(request.getStreamName())
                .setShardId(i + 1)
                .setStartHashRangeKey(PartitionKeys.rangeStart(i, count).toString())
                .setEndHashRangeKey(PartitionKeys.rangeEnd(i, count).toString())
                .setIsActive(true));
      }
      response.onNext(shards.build());
      response.onCompleted();
    }

    @Override
    public void deleteStream(
        DeleteStreamRequest request, StreamObserver<com.google.protobuf.Empty> response) {
      shardCounts.remove(request.getStreamName());
      response.onNext(com.google.protobuf.Empty.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void append(AppendRequest request, StreamObserver<AppendResponse> response) {
      long shardId = request.getShardId();
      long lsn = lsns.computeIfAbsent(shardId, id -> new AtomicLong()).incrementAndGet();
      AppendResponse.Builder ids =
          AppendResponse.newBuilder().setStreamName(request.getStreamName()).setShardId(shardId);
      int count = request.getRecords().getBatchSize();
      for (int i = 0; i < count; i++) {
        ids.addRecordIds(
            RecordId.newBuilder().setShardId(shardId).setBatchId(lsn).setBatchIndex(i));
      }
      response.onNext(ids.build());
      response.onCompleted();
    }
  }
}
