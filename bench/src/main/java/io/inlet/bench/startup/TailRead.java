package io.inlet.bench.startup;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiBlockingStub;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadSingleShardStreamRequest;
import io.inlet.api.hstream.ReadSingleShardStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Reads the record at a given id the way a client resuming at the tail would: a shard reader at
 * that record (CreateShardReader + ReadShard), or ReadSingleShardStream where readers are not
 * served.
 */
final class TailRead {
  private TailRead() {}

  /**
   * @return true when the batch holding {@code at} was read back
   * @throws StatusRuntimeException when the server refuses
   */
  static boolean read(ManagedChannel channel, String stream, RecordId at) {
    HStreamApiBlockingStub stub =
        HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    ShardOffset offset = ShardOffset.newBuilder().setRecordOffset(at).build();
    try {
      return viaReader(stub, stream, at, offset);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    Iterator<ReadSingleShardStreamResponse> responses =
        stub.readSingleShardStream(
            ReadSingleShardStreamRequest.newBuilder()
                .setReaderId("bench-tail-" + UUID.randomUUID())
                .setStreamName(stream)
                .setFrom(offset)
                .setUntil(offset)
                .setMaxReadBatches(1)
                .build());
    while (responses.hasNext()) {
      if (holds(responses.next().getReceivedRecordsList(), at)) {
        return true;
      }
    }
    return false;
  }

  private static boolean viaReader(
      HStreamApiBlockingStub stub, String stream, RecordId at, ShardOffset offset) {
    String readerId = "bench-tail-" + UUID.randomUUID();
    stub.createShardReader(
        CreateShardReaderRequest.newBuilder()
            .setStreamName(stream)
            .setShardId(at.getShardId())
            .setShardOffset(offset)
            .setReaderId(readerId)
            .setTimeout(1000)
            .build());
    try {
      return holds(
          stub.readShard(
                  ReadShardRequest.newBuilder().setReaderId(readerId).setMaxRecords(1).build())
              .getReceivedRecordsList(),
          at);
    } finally {
      stub.deleteShardReader(DeleteShardReaderRequest.newBuilder().setReaderId(readerId).build());
    }
  }

  private static boolean holds(List<ReceivedRecord> records, RecordId at) {
    for (ReceivedRecord record : records) {
      for (RecordId id : record.getRecordIdsList()) {
        if (id.getShardId() == at.getShardId() && id.getBatchId() == at.getBatchId()) {
          return true;
        }
      }
    }
    return false;
  }
}
