package io.inlet.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The acknowledgement and reconnect decisions of a bridge, with a hand-written upstream. */
class BridgeConnectionTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  private final FakeUpstream upstream = new FakeUpstream();
  private final List<CompletableFuture<IngestOutcome>> pending = new ArrayList<>();
  private final BridgeSpec spec =
      BridgeSpec.builder("b")
          .host("h")
          .topics(List.of("a/#"))
          .reconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(10))
          .build();
  private final BridgeConnection connection =
      new BridgeConnection(
          spec,
          "cid",
          message -> {
            CompletableFuture<IngestOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return f;
          },
          upstream,
          clock);

  /** Records what the connection asks of the broker. */
  static final class FakeUpstream implements UpstreamClient {
    final List<List<String>> subscribed = new ArrayList<>();
    final AtomicInteger disconnects = new AtomicInteger();
    CompletableFuture<Void> subscribeResult = CompletableFuture.completedFuture(null);

    @Override
    public void start(Events events) {}

    @Override
    public CompletableFuture<Void> subscribe(List<String> filters) {
      subscribed.add(filters);
      return subscribeResult;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
      disconnects.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }
  }

  private static InboundMessage message(String payload) {
    return new InboundMessage(
        "a/b",
        payload.getBytes(StandardCharsets.UTF_8),
        1,
        false,
        "",
        null,
        List.of(),
        null,
        "bridge:b");
  }

  /** Delivers a message; returns a counter of its acks. */
  private AtomicInteger deliver(String payload) {
    AtomicInteger acks = new AtomicInteger();
    connection.message(message(payload), acks::incrementAndGet);
    return acks;
  }

  @Test
  void a_message_is_acknowledged_only_once_it_is_stored() {
    connection.connected(false);
    AtomicInteger acks = deliver("m");
    assertThat(acks).hasValue(0);
    pending.get(0).complete(new IngestOutcome.Stored("s", "r", 1, 1, 0));
    assertThat(acks).hasValue(1);
    BridgeStatus status = connection.status();
    assertThat(status.messagesIn()).isEqualTo(1);
    assertThat(status.messagesStored()).isEqualTo(1);
    assertThat(status.state()).isEqualTo(BridgeState.CONNECTED);
    assertThat(status.connectedSince()).isEqualTo(clock.instant());
    assertThat(status.subscribed()).isTrue();
    assertThat(upstream.subscribed).containsExactly(List.of("a/#"));
  }

  @Test
  void unmatched_and_rejected_messages_are_acknowledged_and_counted() {
    connection.connected(false);
    AtomicInteger unmatched = deliver("u");
    AtomicInteger rejected = deliver("r");
    pending.get(0).complete(new IngestOutcome.NoMatchingRule("a/b"));
    pending.get(1).complete(new IngestOutcome.Rejected("r", "not json"));
    assertThat(unmatched).hasValue(1);
    assertThat(rejected).hasValue(1);
    assertThat(connection.status().messagesUnmatched()).isEqualTo(1);
    assertThat(connection.status().messagesRejected()).isEqualTo(1);
    assertThat(upstream.disconnects).hasValue(0);
  }

  @Test
  void a_store_failure_is_not_acknowledged_and_drops_the_connection_once() {
    connection.connected(false);
    AtomicInteger first = deliver("1");
    AtomicInteger second = deliver("2");
    pending.get(0).completeExceptionally(new StoreUnavailableException("disk full"));
    pending.get(1).completeExceptionally(new StoreUnavailableException("disk full"));
    assertThat(first).hasValue(0);
    assertThat(second).hasValue(0);
    assertThat(upstream.disconnects).hasValue(1);
    BridgeStatus status = connection.status();
    assertThat(status.storeFailures()).isEqualTo(2);
    assertThat(status.lastError()).contains("disk full");
    assertThat(status.lastErrorAt()).isEqualTo(clock.instant());

    long delay = connection.disconnected(new RuntimeException("closed by client"));
    assertThat(delay).isPositive();
    assertThat(connection.status().state()).isEqualTo(BridgeState.RECONNECTING);
    assertThat(connection.status().lastError())
        .as("the cause stays the store's")
        .contains("disk full");
  }

  @Test
  void delays_grow_while_the_store_fails_and_start_over_after_a_healthy_connection() {
    connection.connected(false);
    long first = failAndReconnect();
    long second = failAndReconnect();
    long third = failAndReconnect();
    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);

    deliver("ok");
    pending.get(pending.size() - 1).complete(new IngestOutcome.Stored("s", "r", 1, 1, 0));
    long afterRecovery = connection.disconnected(new RuntimeException("broker restart"));
    assertThat(afterRecovery).isLessThanOrEqualTo(100);
  }

  private long failAndReconnect() {
    deliver("x");
    pending.get(pending.size() - 1).completeExceptionally(new StoreUnavailableException("full"));
    long delay = connection.disconnected(new RuntimeException("dropped"));
    connection.connected(true);
    return delay;
  }

  @Test
  void a_refused_subscription_is_reported_and_retried_on_a_new_connection() {
    upstream.subscribeResult =
        CompletableFuture.failedFuture(new IllegalStateException("not authorized"));
    connection.connected(false);
    assertThat(connection.status().subscribed()).isFalse();
    assertThat(connection.status().lastError()).contains("subscribe failed: not authorized");
    assertThat(upstream.disconnects).hasValue(1);
    connection.disconnected(new RuntimeException("dropped"));
    upstream.subscribeResult = CompletableFuture.completedFuture(null);
    connection.connected(false);
    assertThat(upstream.subscribed).hasSize(2);
    assertThat(connection.status().subscribed()).isTrue();
  }

  @Test
  void once_stopping_new_messages_are_not_taken_and_those_in_flight_are_acked_before_disconnect() {
    connection.connected(false);
    AtomicInteger inFlight = deliver("in-flight");
    connection.stopTaking();
    AtomicInteger late = deliver("late");
    assertThat(pending).as("the late message was not taken").hasSize(1);
    pending.get(0).complete(new IngestOutcome.Stored("s", "r", 1, 1, 0));
    assertThat(inFlight).hasValue(1);

    connection.close(Duration.ofSeconds(10));

    assertThat(late).hasValue(0);
    assertThat(upstream.disconnects).hasValue(1);
    assertThat(connection.status().state()).isEqualTo(BridgeState.STOPPED);
    assertThat(connection.disconnected(new RuntimeException("closed"))).isNegative();
  }
}
