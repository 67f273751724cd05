package io.inlet.bridge.rules;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of inbound messages, counted since the node started: stored, matching no rule,
 * rejected by their rule, and failed (not stored because the store or a missing stream failed the
 * append; the sender may retry). Thread-safe and cheap to update; the metrics layer reads it.
 */
public final class IngestCounters {
  private final LongAdder stored = new LongAdder();
  private final LongAdder noMatchingRule = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();

  void stored() {
    stored.increment();
  }

  void noMatchingRule() {
    noMatchingRule.increment();
  }

  void rejected() {
    rejected.increment();
  }

  void failed() {
    failed.increment();
  }

  public long storedCount() {
    return stored.sum();
  }

  public long noMatchingRuleCount() {
    return noMatchingRule.sum();
  }

  public long rejectedCount() {
    return rejected.sum();
  }

  public long failedCount() {
    return failed.sum();
  }

  public Snapshot snapshot() {
    return new Snapshot(storedCount(), noMatchingRuleCount(), rejectedCount(), failedCount());
  }

  /** The four counts read at one time (each exact, not atomic together). */
  public record Snapshot(long stored, long noMatchingRule, long rejected, long failed) {}
}
