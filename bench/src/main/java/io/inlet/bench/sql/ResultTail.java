package io.inlet.bench.sql;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import java.util.List;
import java.util.UUID;

/**
 * Tails every shard of a query's result stream (ReadShardStream from the earliest record, without
 * an end) and hands each result row to {@code sink} with the wall-clock time it arrived here.
 */
final class ResultTail implements AutoCloseable {
  interface Sink {
    /** Called on a transport thread; one shard's rows in order. */
    void row(Struct row, long arrivedMillis);
  }

  /** Takes the records of each response without parsing them (so the tail costs less CPU). */
  interface RecordSink {
    /** Called on a transport thread; one shard's records in order. */
    void records(List<HStreamRecord> records, long arrivedMillis);
  }

  private final Context.CancellableContext context = Context.current().withCancellation();
  private volatile Throwable failure;

  ResultTail(ManagedChannel channel, String stream, List<Long> shards, Sink sink) {
    this(
        channel,
        stream,
        shards,
        (RecordSink)
            (records, arrived) -> {
              for (HStreamRecord record : records) {
                try {
                  sink.row(Struct.parseFrom(record.getPayload()), arrived);
                } catch (InvalidProtocolBufferException e) {
                  throw new IllegalStateException("a result record is not a JSON object", e);
                }
              }
            });
  }

  /** A tail that hands each response's records to {@code sink} as they are, unparsed. */
  static ResultTail ofRecords(
      ManagedChannel channel, String stream, List<Long> shards, RecordSink sink) {
    return new ResultTail(channel, stream, shards, sink);
  }

  private ResultTail(ManagedChannel channel, String stream, List<Long> shards, RecordSink sink) {
    for (long shard : shards) {
      context.run(
          () ->
              HStreamApiGrpc.newStub(channel)
                  .readShardStream(
                      ReadShardStreamRequest.newBuilder()
                          .setReaderId("bench-" + UUID.randomUUID())
                          .setStreamName(stream)
                          .setShardId(shard)
                          .setFrom(
                              ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                          .build(),
                      new StreamObserver<ReadShardStreamResponse>() {
                        @Override
                        public void onNext(ReadShardStreamResponse response) {
                          long now = System.currentTimeMillis();
                          try {
                            for (ReceivedRecord r : response.getReceivedRecordsList()) {
                              sink.records(RecordBatches.decode(r.getRecord()), now);
                            }
                          } catch (RuntimeException e) {
                            failure = e;
                          }
                        }

                        @Override
                        public void onError(Throwable t) {
                          if (!context.isCancelled()) {
                            failure = t;
                          }
                        }

                        @Override
                        public void onCompleted() {}
                      }));
    }
  }

  /** Throws when a read failed. */
  void check() {
    Throwable t = failure;
    if (t != null) {
      throw new IllegalStateException("reading the results failed: " + t, t);
    }
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}
