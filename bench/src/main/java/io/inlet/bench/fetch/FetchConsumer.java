package io.inlet.bench.fetch;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import java.util.List;

/**
 * One StreamingFetch consumer that acknowledges every response's records as soon as it arrives, as
 * HStreamDB's clients do with an ack buffer of one response.
 */
final class FetchConsumer implements StreamObserver<StreamingFetchResponse> {
  private final ManagedChannel channel;
  private final String subscriptionId;
  private final String name;
  private final Deliveries deliveries;
  private StreamObserver<StreamingFetchRequest> requests;
  private boolean closed;

  FetchConsumer(ManagedChannel channel, String subscriptionId, String name, Deliveries deliveries) {
    this.channel = channel;
    this.subscriptionId = subscriptionId;
    this.name = name;
    this.deliveries = deliveries;
  }

  synchronized void start() {
    requests = HStreamApiGrpc.newStub(channel).streamingFetch(this);
    requests.onNext(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscriptionId)
            .setConsumerName(name)
            .build());
  }

  @Override
  public void onNext(StreamingFetchResponse response) {
    List<RecordId> ids = response.getReceivedRecords().getRecordIdsList();
    deliveries.received(ids);
    synchronized (this) {
      if (!closed) {
        requests.onNext(
            StreamingFetchRequest.newBuilder()
                .setSubscriptionId(subscriptionId)
                .setConsumerName(name)
                .addAllAckIds(ids)
                .build());
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    deliveries.failed(error);
  }

  @Override
  public void onCompleted() {
    onError(new IllegalStateException("the server ended consumer " + name + "'s stream"));
  }

  synchronized void close() {
    if (!closed) {
      closed = true;
      requests.onCompleted();
    }
  }
}
