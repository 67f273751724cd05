package io.inlet.sql.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against a node that stores each Append when it answers it, and answers the first call last: calls
 * in flight together would land in reverse order.
 */
class OrderedAppendsTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> stored = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  /** A node whose call number n (from 0) is answered after delay(n) ms; call failingCall fails. */
  private OrderedAppends appends(ToLongFunction<Integer> delayMs, int failingCall)
      throws Exception {
    String name = "ordered-appends-" + UUID.randomUUID();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new HStreamApiGrpc.HStreamApiImplBase() {
                  @Override
                  public void append(
                      AppendRequest request, StreamObserver<AppendResponse> response) {
                    int call = calls.getAndIncrement();
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    timer.schedule(
                        () -> {
                          inFlight.decrementAndGet();
                          if (call == failingCall) {
                            response.onError(Status.UNAVAILABLE.asRuntimeException());
                            return;
                          }
                          stored.add(request.getStreamName());
                          response.onNext(AppendResponse.getDefaultInstance());
                          response.onCompleted();
                        },
                        delayMs.applyAsLong(call),
                        TimeUnit.MILLISECONDS);
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    return new OrderedAppends(HStreamApiGrpc.newFutureStub(channel));
  }

  private static AppendRequest batch(String name) {
    return AppendRequest.newBuilder().setStreamName(name).build();
  }

  @AfterEach
  void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    timer.shutdownNow();
  }

  @Test
  void batches_are_stored_in_the_order_given_one_call_at_a_time() throws Exception {
    OrderedAppends appends = appends(call -> call == 0 ? 300 : 0, -1);
    List<CompletableFuture<AppendResponse>> results = new ArrayList<>();
    List<String> given = List.of("b1", "b2", "b3", "b4", "b5");
    for (String b : given) {
      results.add(appends.append(batch(b)));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(stored).containsExactlyElementsOf(given);
    assertThat(mostInFlight).hasValue(1);
  }

  @Test
  void after_a_failed_append_nothing_more_is_sent_and_the_batches_behind_it_fail()
      throws Exception {
    OrderedAppends appends = appends(call -> call == 0 ? 0 : 200, 1);
    CompletableFuture<AppendResponse> first = appends.append(batch("b1"));
    CompletableFuture<AppendResponse> failing = appends.append(batch("b2"));
    CompletableFuture<AppendResponse> behind = appends.append(batch("b3"));
    first.get(30, TimeUnit.SECONDS);

    assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("UNAVAILABLE");
    assertThatThrownBy(() -> behind.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("not sent: an earlier append failed");
    assertThatThrownBy(() -> appends.append(batch("b4")).get(30, TimeUnit.SECONDS))
        .hasMessageContaining("not sent: an earlier append failed");
    assertThat(stored).containsExactly("b1");
    assertThat(calls).hasValue(2);
  }
}
