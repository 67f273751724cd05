package io.inlet.bridge.client;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge: a persistent-session connection to an upstream broker whose messages go through the
 * {@link MessageIngestor}.
 *
 * <p>Acknowledgement follows durability: a message's PUBACK goes upstream only once the ingestor
 * says {@code Stored}; messages that match no rule or that their rule rejects are acknowledged too
 * (a redelivery would meet the same fate) and counted. When the store fails a message, it is not
 * acknowledged and the connection is dropped and re-made with backoff, so the broker redelivers it
 * (MQTT redelivers unacknowledged messages only on a new connection of the session).
 *
 * <p>Reconnects use exponential backoff, reset when a connection is made (unless the bridge dropped
 * the previous one itself because the store failed) and when a message is handled. Subscriptions
 * are made on the first connection of the process (picking up changed topics) and kept by the
 * broker's session afterwards; the client re-subscribes itself if the broker lost the session.
 *
 * <p>Thread-safe; the client's callbacks run on its event loop.
 */
public final class BridgeConnection implements UpstreamClient.Events, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BridgeConnection.class);

  private final BridgeSpec spec;
  private final String clientId;
  private final MessageIngestor ingestor;
  private final UpstreamClient client;
  private final Backoff backoff;
  private final Clock clock;

  private final LongAdder messagesIn = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final LongAdder unmatched = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong connection = new AtomicLong();
  private final AtomicLong dropRequested = new AtomicLong(-1);
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  private volatile BridgeState state = BridgeState.CONNECTING;
  private volatile Instant connectedSince;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile long reconnects;
  private volatile boolean subscribed;
  private volatile boolean closing;
  private volatile boolean droppedByUs;

  BridgeConnection(
      BridgeSpec spec,
      String clientId,
      MessageIngestor ingestor,
      UpstreamClient client,
      Clock clock) {
    this.spec = spec;
    this.clientId = clientId;
    this.ingestor = ingestor;
    this.client = client;
    this.backoff = new Backoff(spec.reconnectMin(), spec.reconnectMax());
    this.clock = clock;
  }

  /** Starts connecting; returns at once. */
  void start() {
    log.info(
        "bridge {}: connecting to {}:{} as {} (MQTT {}{})",
        spec.name(),
        spec.host(),
        spec.port(),
        clientId,
        spec.protocol().configName(),
        spec.tls() != null ? ", TLS" : "");
    try {
      client.start(this);
    } catch (RuntimeException e) {
      failed("cannot start: " + e.getMessage());
      state = BridgeState.STOPPED;
      log.warn("bridge {}: cannot start: {}", spec.name(), e.getMessage());
    }
  }

  @Override
  public void connected(boolean sessionPresent) {
    long id = connection.incrementAndGet();
    if (closing) {
      client.disconnect();
      return;
    }
    state = BridgeState.CONNECTED;
    connectedSince = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (!droppedByUs) {
      // A healthy broker took us back: start over with short delays. After a drop of our own (the
      // store failed a message) the backoff keeps growing until a message gets through.
      backoff.reset();
    }
    log.info(
        "bridge {}: connected to {}:{} ({})",
        spec.name(),
        spec.host(),
        spec.port(),
        sessionPresent ? "session resumed" : "new session");
    if (!subscribed) {
      client
          .subscribe(spec.subscriptions())
          .whenComplete(
              (ok, failure) -> {
                if (failure == null) {
                  subscribed = true;
                  log.info("bridge {}: subscribed to {}", spec.name(), spec.subscriptions());
                } else {
                  String reason = describe(failure);
                  failed("subscribe failed: " + reason);
                  log.warn("bridge {}: subscribe failed: {}; reconnecting", spec.name(), reason);
                  drop(id);
                }
              });
    }
  }

  @Override
  public long disconnected(Throwable cause) {
    connectedSince = null;
    if (closing) {
      state = BridgeState.STOPPED;
      return -1;
    }
    String reason = describe(cause);
    if (dropRequested.compareAndSet(connection.get(), -1)) {
      droppedByUs = true; // the reason is recorded already
    } else {
      failed(reason);
    }
    state = BridgeState.RECONNECTING;
    long delay = backoff.nextDelayMillis();
    reconnects++;
    log.warn(
        "bridge {}: disconnected from {}:{} ({}); reconnecting in {} ms",
        spec.name(),
        spec.host(),
        spec.port(),
        reason,
        delay);
    return delay;
  }

  @Override
  public void message(InboundMessage message, Runnable ack) {
    if (closing) {
      return; // not acknowledged: the broker keeps it for the next session
    }
    messagesIn.increment();
    inFlight.incrementAndGet();
    long id = connection.get();
    ingestor
        .ingest(message)
        .whenComplete(
            (outcome, failure) -> {
              try {
                if (failure == null) {
                  handled(outcome, ack);
                } else {
                  storeFailed(message, failure, id);
                }
              } finally {
                if (inFlight.decrementAndGet() == 0 && closing) {
                  drained.complete(null);
                }
              }
            });
  }

  private void handled(IngestOutcome outcome, Runnable ack) {
    if (outcome instanceof IngestOutcome.Stored) {
      stored.increment();
    } else if (outcome instanceof IngestOutcome.NoMatchingRule) {
      unmatched.increment();
    } else if (outcome instanceof IngestOutcome.Rejected r) {
      rejected.increment();
      log.debug(
          "bridge {}: message rejected by rule {}: {}", spec.name(), r.ruleName(), r.reason());
    }
    ack.run();
    droppedByUs = false;
    backoff.reset();
  }

  private void storeFailed(InboundMessage message, Throwable failure, long id) {
    storeFailures.increment();
    String reason = describe(failure);
    failed("storing a message of " + message.topic() + " failed: " + reason);
    if (dropRequested.get() != id) {
      log.warn(
          "bridge {}: storing a message of {} failed ({}); not acknowledged, reconnecting so the"
              + " broker redelivers it",
          spec.name(),
          message.topic(),
          reason);
    }
    drop(id);
  }

  /** Drops connection {@code id} (once) so the broker redelivers what was not acknowledged. */
  private void drop(long id) {
    long previous = dropRequested.getAndSet(id);
    if (previous != id && connection.get() == id && !closing) {
      client.disconnect();
    }
  }

  private void failed(String error) {
    lastError = error;
    lastErrorAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t == null) {
      return "connection closed";
    }
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  public BridgeStatus status() {
    return new BridgeStatus(
        spec.name(),
        spec.host(),
        spec.port(),
        spec.tls() != null,
        spec.protocol().configName(),
        clientId,
        spec.subscriptions(),
        state,
        subscribed,
        connectedSince,
        lastError,
        lastErrorAt,
        messagesIn.sum(),
        stored.sum(),
        unmatched.sum(),
        rejected.sum(),
        storeFailures.sum(),
        reconnects);
  }

  /**
   * Stops taking messages: those arriving from now on are not acknowledged (the broker keeps them).
   */
  void stopTaking() {
    closing = true;
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
  }

  /**
   * Stops taking messages, waits up to {@code drain} for those being stored to be acknowledged,
   * then disconnects, keeping the session at the broker: what arrives meanwhile stays queued there.
   */
  void close(Duration drain) {
    stopTaking();
    try {
      drained.get(drain.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      log.warn(
          "bridge {}: {} message(s) still being stored after {}; the broker redelivers them",
          spec.name(),
          inFlight.get(),
          drain);
    }
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      log.debug("bridge {}: disconnect: {}", spec.name(), e.toString());
    }
    state = BridgeState.STOPPED;
    connectedSince = null;
    log.info("bridge {}: stopped", spec.name());
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
