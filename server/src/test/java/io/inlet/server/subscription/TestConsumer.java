package io.inlet.server.subscription;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.RecordBatches;
import io.inlet.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A StreamingFetch consumer as HStreamDB clients drive it, recording what it receives. */
final class TestConsumer implements AutoCloseable {
  final String subscriptionId;
  final String name;
  private final boolean autoAck;
  private final List<ReceivedRecord> received = new CopyOnWriteArrayList<>();
  private volatile ClientCallStreamObserver<StreamingFetchRequest> requests;
  private volatile Status error;
  private volatile boolean completed;

  /** A delivered record: its id and its record, paired by position as clients pair them. */
  record Delivered(RecordId id, HStreamRecord record) {
    String payload() {
      return record.getPayload().toStringUtf8();
    }
  }

  TestConsumer(
      HStreamApiGrpc.HStreamApiStub stub, String subscriptionId, String name, boolean autoAck) {
    this.subscriptionId = subscriptionId;
    this.name = name;
    this.autoAck = autoAck;
    stub.streamingFetch(
        new ClientResponseObserver<StreamingFetchRequest, StreamingFetchResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<StreamingFetchRequest> stream) {
            requests = stream;
          }

          @Override
          public void onNext(StreamingFetchResponse response) {
            received.add(response.getReceivedRecords());
            if (TestConsumer.this.autoAck) {
              ack(response.getReceivedRecords().getRecordIdsList());
            }
          }

          @Override
          public void onError(Throwable t) {
            error = Status.fromThrowable(t);
          }

          @Override
          public void onCompleted() {
            completed = true;
          }
        });
    send(
        StreamingFetchRequest.newBuilder().setSubscriptionId(subscriptionId).setConsumerName(name));
  }

  void ack(List<RecordId> ids) {
    send(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscriptionId)
            .setConsumerName(name)
            .addAllAckIds(ids));
  }

  private void send(StreamingFetchRequest.Builder request) {
    synchronized (this) {
      requests.onNext(request.build());
    }
  }

  /** Every response received so far, in order. */
  List<ReceivedRecord> responses() {
    return List.copyOf(received);
  }

  /** Every record received so far, redeliveries included, in order. */
  List<Delivered> delivered() {
    List<Delivered> all = new ArrayList<>();
    for (ReceivedRecord r : received) {
      List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
      if (records.size() != r.getRecordIdsCount()) {
        throw new AssertionError(
            "response pairs " + r.getRecordIdsCount() + " ids with " + records.size() + " records");
      }
      for (int i = 0; i < records.size(); i++) {
        all.add(new Delivered(r.getRecordIds(i), records.get(i)));
      }
    }
    return all;
  }

  int recordCount() {
    int n = 0;
    for (ReceivedRecord r : received) {
      n += r.getRecordIdsCount();
    }
    return n;
  }

  List<Delivered> awaitRecords(int atLeast) {
    return awaitRecords(atLeast, Await.DEFAULT);
  }

  List<Delivered> awaitRecords(int atLeast, Duration timeout) {
    Await.until(
        () -> name + " to receive " + atLeast + " records (has " + recordCount() + ")",
        timeout,
        () -> recordCount() >= atLeast);
    return delivered();
  }

  Status awaitError() {
    Await.until(name + " to see its stream fail", () -> error != null);
    return error;
  }

  void awaitCompleted() {
    Await.until(name + " to see its stream complete", () -> completed);
  }

  Status error() {
    return error;
  }

  /** Cancels the call, as a client does when it stops. */
  void cancel() {
    requests.cancel("consumer stopped", null);
  }

  /** Finishes the request stream, as HStreamDB's Python client does when it stops. */
  void finish() {
    synchronized (this) {
      requests.onCompleted();
    }
  }

  @Override
  public void close() {
    if (error == null && !completed) {
      try {
        cancel();
      } catch (RuntimeException ignored) {
        // already done
      }
    }
  }
}
