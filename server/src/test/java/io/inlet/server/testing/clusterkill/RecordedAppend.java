package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.testing.history.OperationHistory;
import io.inlet.testing.history.RecordId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC Append recorded in the history: the records' payloads are their payload ids. An error
 * whose status says the request was refused as such counts as failed (nothing stored); any other
 * error (UNAVAILABLE, a deadline, a reset) as unknown.
 */
public final class RecordedAppend {
  private static final Set<Status.Code> REFUSED =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.ALREADY_EXISTS,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.FAILED_PRECONDITION);
  private static final long DEADLINE_SECONDS = 10;

  private RecordedAppend() {}

  /** Sends the batch and records it; true when acknowledged. */
  public static boolean send(
      OperationHistory history,
      ManagedChannel channel,
      String client,
      String stream,
      long shardId,
      List<String> payloadIds) {
    List<HStreamRecord> records = new ArrayList<>();
    for (String id : payloadIds) {
      records.add(HStreamRecords.raw(client, id.getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    AppendRequest request =
        AppendRequest.newBuilder()
            .setStreamName(stream)
            .setShardId(shardId)
            .setRecords(RecordBatches.encode(records, CompressionType.None))
            .build();
    OperationHistory.Pending attempt = history.begin(client, stream, shardId, payloadIds);
    try {
      AppendResponse response =
          HStreamApiGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .append(request);
      List<RecordId> ids =
          response.getRecordIdsList().stream()
              .map(r -> new RecordId(r.getShardId(), r.getBatchId(), r.getBatchIndex()))
              .toList();
      if (ids.size() != payloadIds.size()) {
        attempt.unknown(ids.size() + " record ids for " + payloadIds.size() + " records");
        return false;
      }
      attempt.ok(ids);
      return true;
    } catch (StatusRuntimeException e) {
      String why = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      if (REFUSED.contains(e.getStatus().getCode())) {
        attempt.failed(why);
      } else {
        attempt.unknown(why);
      }
      return false;
    } catch (RuntimeException e) {
      attempt.unknown(e.toString());
      return false;
    }
  }
}
