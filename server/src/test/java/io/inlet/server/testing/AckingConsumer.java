package io.inlet.server.testing;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.RecordBatches;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A StreamingFetch consumer that acknowledges every record it receives and keeps their payloads.
 */
public final class AckingConsumer
    implements ClientResponseObserver<StreamingFetchRequest, StreamingFetchResponse> {
  private final AtomicInteger acked = new AtomicInteger();
  private final List<String> payloads = new CopyOnWriteArrayList<>();
  private final String subscription;
  private final String name;
  private volatile ClientCallStreamObserver<StreamingFetchRequest> requests;

  public AckingConsumer(GrpcClient client, String subscription, String name) {
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
    for (HStreamRecord record : RecordBatches.decode(response.getReceivedRecords().getRecord())) {
      payloads.add(record.getPayload().toStringUtf8());
    }
  }

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}

  public int acked() {
    return acked.get();
  }

  /** The payloads received so far (UTF-8), in the order they came. */
  public List<String> payloads() {
    return List.copyOf(payloads);
  }
}
