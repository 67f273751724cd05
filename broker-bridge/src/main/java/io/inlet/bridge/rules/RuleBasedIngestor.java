package io.inlet.bridge.rules;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.api.topic.TopicLevels;
import io.inlet.bridge.rules.RecordMapper.Mapped;
import io.inlet.bridge.rules.RecordMapper.Refused;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link MessageIngestor} every MQTT path shares: the first rule whose topic filter matches
 * maps the message to one record (key, payload mode, {@link MqttAttributes}), which is appended
 * alone in a batch through the {@link StreamAppender} (the store's group commit shares one fsync
 * among concurrent appends).
 *
 * <p>Outcomes, each counted in {@link IngestCounters}:
 *
 * <ul>
 *   <li>{@code Stored} once the record is durable.
 *   <li>{@code NoMatchingRule} when no rule matches.
 *   <li>{@code Rejected} when the rule refuses the payload (JSON only, payload not a JSON object)
 *       or the store refuses the record itself (larger than max-record-size).
 *   <li>Exceptionally when the store cannot write ({@code StoreUnavailableException}) or the rule's
 *       stream is missing and the rule does not create it ({@code InletException} StreamNotFound):
 *       nothing was stored and a retry can succeed once the store or the operator has fixed that,
 *       so senders should not acknowledge.
 * </ul>
 *
 * <p>A rule that auto-creates its stream creates it on the {@code inlet-mqtt-streams} thread, never
 * on the caller's; messages wait for it in arrival order. A stream deleted while in use is created
 * again by the next message (auto-create on).
 *
 * <p>Thread-safe and non-blocking: {@link #ingest} may be called from any event loop. {@link
 * #close} fails messages still waiting for a stream to be created.
 */
public final class RuleBasedIngestor implements MessageIngestor, AutoCloseable {
  /** The levels a key template that reads none is given (the topic is not split for it). */
  private static final String[] NO_LEVELS = new String[0];

  private final Supplier<RuleSet> rules;
  private final StreamAppender appender;
  private final IngestCounters counters;
  private final ExecutorService creator;
  private final StreamReadiness readiness;

  /**
   * @param rules the rules in effect, read for every message (e.g. {@code ruleBook::current})
   * @param appender where records go
   * @param provisioner creates streams for rules that auto-create them
   * @param counters where outcomes are counted
   */
  public RuleBasedIngestor(
      Supplier<RuleSet> rules,
      StreamAppender appender,
      StreamProvisioner provisioner,
      IngestCounters counters) {
    this.rules = rules;
    this.appender = appender;
    this.counters = counters;
    this.creator =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "inlet-mqtt-streams");
              t.setDaemon(true);
              return t;
            });
    this.readiness = new StreamReadiness(provisioner, creator);
  }

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    try {
      MappingRule rule = rules.get().firstMatch(message.topic());
      if (rule == null) {
        counters.noMatchingRule();
        return CompletableFuture.completedFuture(new IngestOutcome.NoMatchingRule(message.topic()));
      }
      String[] levels =
          rule.keyTemplate().usesTopicLevels() ? TopicLevels.split(message.topic()) : NO_LEVELS;
      RecordMapper.Mapping mapping = RecordMapper.map(rule, message, levels);
      if (mapping instanceof Refused refused) {
        counters.rejected();
        return CompletableFuture.completedFuture(
            new IngestOutcome.Rejected(rule.name(), refused.reason()));
      }
      Mapped mapped = (Mapped) mapping;
      BatchedRecord batch = mapped.batch();
      CompletableFuture<IngestOutcome> result = new CompletableFuture<>();
      readiness
          .whenReady(rule, () -> append(rule, mapped.key(), batch))
          .whenComplete(
              (appended, failure) ->
                  settle(result, rule, mapped.key(), batch, appended, failure, true));
      return result;
    } catch (RuntimeException e) {
      counters.failed();
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<AppendResult> append(
      MappingRule rule, String key, BatchedRecord batch) {
    return appender.appendByKey(rule.stream(), key, batch);
  }

  /**
   * Completes {@code result} with what became of an append, once: in the thread that completed the
   * append (the store's), with no further stage, except when a deleted stream is created again and
   * the append retried.
   */
  private void settle(
      CompletableFuture<IngestOutcome> result,
      MappingRule rule,
      String key,
      BatchedRecord batch,
      AppendResult appended,
      Throwable failure,
      boolean mayRecreate) {
    if (failure == null) {
      counters.stored();
      result.complete(
          new IngestOutcome.Stored(
              appended.streamName(), rule.name(), appended.shardId(), appended.lsn(), 0));
      return;
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof InletException e) {
      if (e.code() == ErrorCode.StreamNotFound) {
        readiness.forget(rule.stream());
        if (mayRecreate && rule.autoCreateStream()) {
          readiness
              .whenReady(rule, () -> append(rule, key, batch))
              .whenComplete(
                  (again, error) -> settle(result, rule, key, batch, again, error, false));
          return;
        }
      } else {
        counters.rejected();
        result.complete(new IngestOutcome.Rejected(rule.name(), e.getMessage()));
        return;
      }
    }
    counters.failed();
    result.completeExceptionally(cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The counts of outcomes so far. */
  public IngestCounters counters() {
    return counters;
  }

  /** Fails messages still waiting for their stream and stops the stream-creating thread. */
  @Override
  public void close() {
    readiness.close();
    creator.shutdownNow();
  }
}
