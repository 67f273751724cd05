package io.inlet.emqx;

import io.grpc.Deadline;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version-neutral core of {@code OnMessagePublish}: ingests a message and decides the answer
 * once the outcome is known, or at the answer deadline, whichever comes first. Never blocks: every
 * continuation runs on the scheduler, never on the thread that completes the ingest (the store's
 * writer).
 */
final class PublishAdmission {
  private static final Logger log = LoggerFactory.getLogger(PublishAdmission.class);
  private static final long MIN_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final MessageIngestor ingestor;
  private final ExHookSettings settings;
  private final ScheduledExecutorService scheduler;
  private final ExHookStats stats;
  private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  PublishAdmission(
      MessageIngestor ingestor,
      ExHookSettings settings,
      ScheduledExecutorService scheduler,
      ExHookStats stats) {
    this.ingestor = ingestor;
    this.settings = settings;
    this.scheduler = scheduler;
    this.stats = stats;
  }

  /**
   * Ingests {@code message}. A message MQTT would refuse ({@link ExHookMessages#problem}) is not
   * ingested: the returned future is already complete with {@link PublishVerdict#REFUSE}. Otherwise
   * it completes on the scheduler (at shutdown on the closing thread), never exceptionally: with
   * {@link PublishVerdict#CONTINUE} once the message is stored or deliberately not stored (no
   * matching rule, rejected by its rule); with the failure verdict (see {@link
   * ExHookSettings#denyOnFailure()}) when the store failed, when no outcome arrived within the
   * answer timeout (or before the caller's deadline, less a margin), or when {@link #answerPending}
   * is called at shutdown.
   *
   * @param callDeadline the gRPC deadline EMQX set on the call, or null
   */
  CompletableFuture<PublishVerdict> admit(InboundMessage message, Deadline callDeadline) {
    stats.received();
    String problem = ExHookMessages.problem(message);
    if (problem != null) {
      stats.invalid();
      logRefusal(message, problem);
      return CompletableFuture.completedFuture(PublishVerdict.REFUSE);
    }
    Pending call = new Pending();
    pending.add(call);

    CompletableFuture<IngestOutcome> ingest;
    try {
      ingest = ingestor.ingest(message);
    } catch (RuntimeException e) {
      ingest = CompletableFuture.failedFuture(e);
    }
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () -> {
              if (call.claim()) {
                stats.timedOut();
                logFailure(message, "no outcome within the answer timeout", null);
                call.answer(failureVerdict());
              }
            },
            budgetNanos(callDeadline),
            TimeUnit.NANOSECONDS);
    ingest.whenCompleteAsync(
        (outcome, error) -> {
          timer.cancel(false);
          PublishVerdict verdict = decide(message, outcome, error);
          if (call.claim()) {
            call.answer(verdict);
          }
        },
        scheduler);
    return call.answer;
  }

  /** Answers every call still waiting with the failure verdict (shutdown). */
  void answerPending() {
    for (Pending call : Set.copyOf(pending)) {
      if (call.claim()) {
        call.answer(failureVerdict());
      }
    }
  }

  int pendingCount() {
    return pending.size();
  }

  /**
   * One call's answer. Exactly one party (the ingest's outcome, the timer, shutdown) claims it;
   * counters are updated before the answer completes, so whoever sees the answer sees the counts.
   */
  private final class Pending {
    private final CompletableFuture<PublishVerdict> answer = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    void answer(PublishVerdict verdict) {
      if (verdict == PublishVerdict.DENY) {
        stats.denied();
      }
      pending.remove(this);
      answer.complete(verdict);
    }
  }

  /** Counts the outcome (also when the answer went out already) and returns its verdict. */
  private PublishVerdict decide(InboundMessage message, IngestOutcome outcome, Throwable error) {
    if (error != null) {
      stats.failed();
      logFailure(message, "the store failed", error);
      return failureVerdict();
    }
    if (outcome instanceof IngestOutcome.Stored) {
      stats.stored();
    } else if (outcome instanceof IngestOutcome.Rejected rejected) {
      stats.rejected();
      log.debug(
          "message on {} rejected by rule {}: {}",
          message.topic(),
          rejected.ruleName(),
          rejected.reason());
    } else {
      stats.noMatchingRule();
    }
    return PublishVerdict.CONTINUE;
  }

  private PublishVerdict failureVerdict() {
    return settings.denyOnFailure() ? PublishVerdict.DENY : PublishVerdict.CONTINUE;
  }

  private long budgetNanos(Deadline callDeadline) {
    long budget = settings.answerTimeout().toNanos();
    if (callDeadline != null) {
      long remaining = callDeadline.timeRemaining(TimeUnit.NANOSECONDS);
      budget = Math.min(budget, remaining - Math.max(MIN_MARGIN_NANOS, remaining / 10));
    }
    return Math.max(0, budget);
  }

  /** At most one line per 10 s, so that a full disk does not flood the log. */
  private void logFailure(InboundMessage message, String what, Throwable error) {
    if (!mayLog(lastFailureLog)) {
      return;
    }
    ExHookStats.Snapshot counts = stats.snapshot();
    log.warn(
        "ExHook: message on {} from {} not stored ({}{}); answered {} (failed so far: {},"
            + " timed out: {})",
        message.topic(),
        message.clientId(),
        what,
        error == null ? "" : ": " + rootMessage(error),
        settings.denyOnFailure() ? "deny (allow_publish=false)" : "continue",
        counts.failed(),
        counts.timedOut());
  }

  /**
   * At most one line per 10 s: whoever sends invalid messages (EMQX does not) must not flood the
   * log. Names the sender's client id and the reason, never the topic, which may be anything.
   */
  private void logRefusal(InboundMessage message, String problem) {
    if (!mayLog(lastRefusalLog)) {
      log.debug("ExHook: refused a message from client id {}: {}", quoted(message), problem);
      return;
    }
    log.warn(
        "ExHook: refused a message from client id {}: {} (MQTT would refuse it; nothing stored,"
            + " answered allow_publish=false; refused so far: {})",
        quoted(message),
        problem,
        stats.snapshot().invalid());
  }

  private static String quoted(InboundMessage message) {
    String id = message.clientId() == null ? "" : message.clientId();
    if (id.length() > 64) {
      id = id.substring(0, 64) + "...";
    }
    return '"' + id.replaceAll("\\p{Cntrl}", "?") + '"';
  }

  private static boolean mayLog(AtomicLong last) {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= LOG_INTERVAL_NANOS && last.compareAndSet(previous, now);
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
