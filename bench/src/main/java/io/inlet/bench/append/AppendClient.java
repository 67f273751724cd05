package io.inlet.bench.append;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiStub;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One client with one Append in flight at a time: the next is sent when the previous one is
 * acknowledged (so it waits for durability, as a device publishing at QoS 1 does). Callbacks run on
 * the channel's transport thread; since only one call is in flight they never overlap, so the
 * histogram has a single writer.
 */
final class AppendClient implements StreamObserver<AppendResponse> {
  /** Latencies up to a minute, three significant digits. */
  private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final HStreamApiStub stub;
  private final List<AppendRequest> requests;
  private final int recordsPerBatch;
  private final AtomicLong budget;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
  private final AtomicLong appends = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean stopping;
  private volatile boolean recording;
  private volatile Throwable firstError;
  private int next;
  private long sentAt;

  /**
   * @param budget batches left to send, shared by clients; null for no limit
   */
  AppendClient(
      HStreamApiStub stub, List<AppendRequest> requests, int recordsPerBatch, AtomicLong budget) {
    this.stub = stub;
    this.requests = requests;
    this.recordsPerBatch = recordsPerBatch;
    this.budget = budget;
  }

  void start() {
    sendNext();
  }

  private void sendNext() {
    if (stopping || (budget != null && budget.getAndDecrement() <= 0)) {
      done.countDown();
      return;
    }
    AppendRequest request = requests.get(next);
    next = (next + 1) % requests.size();
    sentAt = System.nanoTime();
    stub.append(request, this);
  }

  @Override
  public void onNext(AppendResponse response) {
    if (response.getRecordIdsCount() != recordsPerBatch) {
      fail(
          new IllegalStateException(
              "Append returned "
                  + response.getRecordIdsCount()
                  + " record ids for "
                  + recordsPerBatch
                  + " records"));
    }
  }

  @Override
  public void onCompleted() {
    long elapsed = System.nanoTime() - sentAt;
    appends.incrementAndGet();
    if (recording) {
      latency.recordValue(Math.min(elapsed, MAX_LATENCY_NANOS));
    }
    sendNext();
  }

  @Override
  public void onError(Throwable error) {
    fail(error);
    if (Status.fromThrowable(error).getCode() == Status.Code.UNAVAILABLE && !stopping) {
      // HStreamDB's rule: UNAVAILABLE means retry. Back off a little, off the transport thread.
      CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(this::sendNext);
    } else {
      stopping = true;
      done.countDown();
    }
  }

  private void fail(Throwable error) {
    errors.incrementAndGet();
    if (firstError == null) {
      firstError = error;
    }
  }

  void recordLatencies(boolean on) {
    recording = on;
  }

  void stop() {
    stopping = true;
  }

  boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }

  long appends() {
    return appends.get();
  }

  long errors() {
    return errors.get();
  }

  Throwable firstError() {
    return firstError;
  }

  /** Read only after {@link #awaitDone}. */
  Histogram latency() {
    return latency;
  }
}
