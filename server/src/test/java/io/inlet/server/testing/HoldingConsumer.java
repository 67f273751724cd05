package io.inlet.server.testing;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A StreamingFetch consumer that keeps what it receives and acknowledges only the records it is
 * told to ({@link #ack}); the error that ended its stream, if any, is kept too.
 */
public final class HoldingConsumer
    implements ClientResponseObserver<StreamingFetchRequest, StreamingFetchResponse> {

  /** A record received: its id and its payload (UTF-8). */
  public record Received(RecordId id, String payload) {}

  private final String subscription;
  private final String name;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, RecordId> byPayload = new ConcurrentHashMap<>();
  private volatile ClientCallStreamObserver<StreamingFetchRequest> requests;
  private volatile Throwable error;

  public HoldingConsumer(GrpcClient client, String subscription, String name) {
    this.subscription = subscription;
    this.name = name;
    client.async.streamingFetch(this);
    send(List.of());
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<StreamingFetchRequest> stream) {
    requests = stream;
  }

  @Override
  public void onNext(StreamingFetchResponse response) {
    List<RecordId> ids = response.getReceivedRecords().getRecordIdsList();
    List<HStreamRecord> records = RecordBatches.decode(response.getReceivedRecords().getRecord());
    for (int i = 0; i < records.size(); i++) {
      String payload = records.get(i).getPayload().toStringUtf8();
      byPayload.put(payload, ids.get(i));
      received.add(new Received(ids.get(i), payload));
    }
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onCompleted() {}

  /** Acknowledges the records received with these payloads. */
  public void ack(Collection<String> payloads) {
    List<RecordId> ids = new ArrayList<>();
    for (String payload : payloads) {
      RecordId id = byPayload.get(payload);
      if (id == null) {
        throw new IllegalArgumentException("no record \"" + payload + "\" was received");
      }
      ids.add(id);
    }
    send(ids);
  }

  /** The payloads received so far, in the order they came (redeliveries repeated). */
  public List<String> payloads() {
    return received.stream().map(Received::payload).toList();
  }

  /** The error that ended the stream, or null. */
  public Throwable error() {
    return error;
  }

  /** Ends the call. */
  public void cancel() {
    requests.cancel("test done", null);
  }

  private synchronized void send(List<RecordId> acks) {
    requests.onNext(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscription)
            .setConsumerName(name)
            .addAllAckIds(acks)
            .build());
  }
}
