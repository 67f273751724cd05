package io.inlet.server.cluster;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import io.inlet.testing.HistoryChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One producer appending single records {@code n1-<seq>} one after another, each sent again with a
 * new id while the shard answers UNAVAILABLE or the deadline expires; its history is checked by
 * {@link HistoryChecker}.
 */
final class SingleRecordProducer {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  private final GrpcClient client;
  private final String stream;
  private final long shard;
  private final List<HistoryChecker.Event> history = new ArrayList<>();
  private int seq;
  private int acked;

  SingleRecordProducer(GrpcClient client, String stream, long shard) {
    this.client = client;
    this.stream = stream;
    this.shard = shard;
  }

  void append() {
    Await.until(
        "an append to shard " + shard + " is acknowledged",
        CONVERGE,
        () -> {
          String id = "n1-" + (++seq);
          history.add(HistoryChecker.Event.invoked(id));
          try {
            client
                .stub()
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .append(
                    AppendRequest.newBuilder()
                        .setStreamName(stream)
                        .setShardId(shard)
                        .setRecords(GrpcClient.batch(GrpcClient.rawRecords("k", id, 1)))
                        .build());
          } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
              throw e;
            }
            return false;
          }
          history.add(HistoryChecker.Event.acked(id));
          acked++;
          return true;
        });
  }

  int acked() {
    return acked;
  }

  /** The producer's ids among payloads (each is the id and the record's index "0"). */
  List<String> ids(List<String> payloads) {
    return payloads.stream()
        .map(p -> p.substring(0, p.length() - 1))
        .filter(id -> id.startsWith("n1-"))
        .toList();
  }

  List<String> violations(List<String> log) {
    return HistoryChecker.violations(history, log);
  }
}
