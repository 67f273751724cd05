package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.testing.history.OperationHistory;
import io.inlet.testing.history.RecordId;
import io.inlet.testing.history.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The final read of every shard, as a client that follows lookups does: LookupShard on any node,
 * then ReadShardStream from the earliest to the latest record on the node it names.
 */
public final class FinalReads {
  private FinalReads() {}

  /** Reads every shard into the history; returns the records read. */
  static long readAll(ManagedChannel anyNode, List<Long> shardIds, OperationHistory history)
      throws InterruptedException {
    long records = 0;
    for (long shard : shardIds) {
      ServerNode owner = ShardOwners.owner(anyNode, shard);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(owner.getHost(), owner.getPort())
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
      try {
        List<StoredRecord> read = readRetrying(channel, shard);
        history.shardRead(shard, read);
        records += read.size();
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    return records;
  }

  /**
   * As {@link #read}, again while the node answers UNAVAILABLE (it is recovering the shard as its
   * new leader and does not know its end yet), as a client is told to ({@link WhileUnavailable}).
   */
  public static List<StoredRecord> readRetrying(ManagedChannel channel, long shard) {
    return WhileUnavailable.retry("a read of shard " + shard, () -> read(channel, shard));
  }

  /** Reads shard {@code shard}, from its earliest record to its latest, on the node asked. */
  public static List<StoredRecord> read(ManagedChannel channel, long shard) {
    List<StoredRecord> out = new ArrayList<>();
    HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(
            response -> {
              for (ReceivedRecord received : response.getReceivedRecordsList()) {
                List<HStreamRecord> records = RecordBatches.decode(received.getRecord());
                for (int i = 0; i < records.size(); i++) {
                  var id = received.getRecordIds(i);
                  out.add(
                      new StoredRecord(
                          new RecordId(id.getShardId(), id.getBatchId(), id.getBatchIndex()),
                          records.get(i).getPayload().toStringUtf8()));
                }
              }
            });
    return out;
  }
}
