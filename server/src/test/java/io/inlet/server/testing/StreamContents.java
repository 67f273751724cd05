package io.inlet.server.testing;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Every record of a stream, read through the gRPC API (shard by shard, earliest to latest). */
public final class StreamContents {
  private StreamContents() {}

  public static List<HStreamRecord> records(GrpcClient client, String stream) {
    List<HStreamRecord> out = new ArrayList<>();
    for (long shard : client.shardIds(stream)) {
      for (ReceivedRecord r : received(client, shard)) {
        out.addAll(RecordBatches.decode(r.getRecord()));
      }
    }
    return out;
  }

  /** Every batch of a shard as ReadShardStream returns it, earliest to latest. */
  public static List<ReceivedRecord> received(GrpcClient client, long shard) {
    List<ReceivedRecord> out = new ArrayList<>();
    client
        .stub()
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(response -> out.addAll(response.getReceivedRecordsList()));
    return out;
  }

  public static List<String> payloads(GrpcClient client, String stream) {
    List<String> out = new ArrayList<>();
    for (HStreamRecord r : records(client, stream)) {
      out.add(r.getPayload().toStringUtf8());
    }
    return out;
  }
}
