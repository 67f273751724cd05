package io.inlet.server.testing;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a whole stream through the gRPC API, as a consumer would. */
public final class StreamReads {
  private StreamReads() {}

  /** Every record of the stream, earliest to latest (in append order within each shard). */
  public static List<HStreamRecord> records(ManagedChannel channel, String stream) {
    List<HStreamRecord> records = new ArrayList<>();
    HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .readStream(
            ReadStreamRequest.newBuilder()
                .setStreamName(stream)
                .setFrom(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(
            response -> {
              for (ReceivedRecord received : response.getReceivedRecordsList()) {
                records.addAll(RecordBatches.decode(received.getRecord()));
              }
            });
    return records;
  }

  /** The payloads of every record as UTF-8 text. */
  public static List<String> payloads(ManagedChannel channel, String stream) {
    return records(channel, stream).stream().map(r -> r.getPayload().toStringUtf8()).toList();
  }
}
