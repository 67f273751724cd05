package io.inlet.server.metrics;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.server.testing.GrpcClient;
import java.util.concurrent.atomic.AtomicInteger;

/** A StreamingFetch consumer that acknowledges every record it receives, for the metrics tests. */
final class AckingConsumer
    implements ClientResponseObserver<StreamingFetchRequest, StreamingFetchResponse> {
  private final AtomicInteger acked = new AtomicInteger();
  private final String subscription;
  private final String name;
  private volatile ClientCallStreamObserver<StreamingFetchRequest> requests;

  AckingConsumer(GrpcClient client, String subscription, String name) {
    this.subscription = subscription;
    this.name = name;
    client.async.streamingFetch(this);
    synchronized (this) {
      requests.onNext(
          StreamingFetchRequest.newBuilder()
              .setSubscriptionId(subscription)
              .setConsumerName(name)
              .build());
    }
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<StreamingFetchRequest> stream) {
    requests = stream;
  }

  @Override
  public synchronized void onNext(StreamingFetchResponse response) {
    requests.onNext(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscription)
            .setConsumerName(name)
            .addAllAckIds(response.getReceivedRecords().getRecordIdsList())
            .build());
    acked.addAndGet(response.getReceivedRecords().getRecordIdsCount());
  }

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}

  int acked() {
    return acked.get();
  }
}
