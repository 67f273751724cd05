package io.inlet.bench.drill;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;

/**
 * StreamingFetch consumers on one subscription that acknowledge everything they receive and record
 * each delivered record in the {@link Ledger}: a record a consumer saw must still be stored, with
 * the same bytes, after a crash (readers see only what is durable).
 */
final class FetchLoad {
  private final ManagedChannel channel;
  private final String subscription;
  private final Ledger ledger;
  private final Tally tally;
  private final List<Consumer> consumers = new ArrayList<>();

  FetchLoad(ManagedChannel channel, String subscription, Ledger ledger, Tally tally) {
    this.channel = channel;
    this.subscription = subscription;
    this.ledger = ledger;
    this.tally = tally;
  }

  void start(int count, String tag) {
    for (int i = 0; i < count; i++) {
      Consumer consumer = new Consumer("drill-" + tag + "-" + i);
      consumers.add(consumer);
      consumer.start();
    }
  }

  void stop() {
    consumers.forEach(Consumer::close);
  }

  private final class Consumer implements StreamObserver<StreamingFetchResponse> {
    private final String name;
    private StreamObserver<StreamingFetchRequest> requests;
    private boolean closed;

    Consumer(String name) {
      this.name = name;
    }

    synchronized void start() {
      requests = HStreamApiGrpc.newStub(channel).streamingFetch(this);
      requests.onNext(
          StreamingFetchRequest.newBuilder()
              .setSubscriptionId(subscription)
              .setConsumerName(name)
              .build());
    }

    @Override
    public void onNext(StreamingFetchResponse response) {
      ReceivedRecord received = response.getReceivedRecords();
      List<HStreamRecord> records;
      try {
        records = RecordBatches.decode(received.getRecord());
      } catch (RuntimeException e) {
        tally.add("fetch_undecodable", 1);
        records = List.of();
      }
      for (int i = 0; i < records.size() && i < received.getRecordIdsCount(); i++) {
        ledger.delivered(received.getRecordIds(i), records.get(i).getPayload());
      }
      synchronized (this) {
        if (!closed) {
          requests.onNext(
              StreamingFetchRequest.newBuilder()
                  .setSubscriptionId(subscription)
                  .setConsumerName(name)
                  .addAllAckIds(received.getRecordIdsList())
                  .build());
        }
      }
    }

    @Override
    public synchronized void onError(Throwable error) {
      closed = true;
    }

    @Override
    public synchronized void onCompleted() {
      closed = true;
    }

    synchronized void close() {
      if (!closed) {
        closed = true;
        try {
          requests.onCompleted();
        } catch (RuntimeException e) {
          // the call already failed
        }
      }
    }
  }
}
