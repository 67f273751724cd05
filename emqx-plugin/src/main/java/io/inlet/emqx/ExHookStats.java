package io.inlet.emqx;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the messages EMQX handed over through {@code OnMessagePublish}, counted since the
 * provider started. Outcomes ({@code stored}, {@code noMatchingRule}, {@code rejected}, {@code
 * failed}) count what the ingest did, also when it finished after the answer was sent; answers
 * ({@code timedOut}, {@code denied}) count what EMQX was told. Thread-safe.
 */
public final class ExHookStats {
  private final LongAdder received = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final LongAdder noMatchingRule = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder denied = new LongAdder();

  /**
   * @param received publishes EMQX sent
   * @param stored stored durably
   * @param noMatchingRule matched no mapping rule; nothing stored, EMQX continued
   * @param rejected refused by their rule (e.g. not JSON); nothing stored, EMQX continued
   * @param failed the store failed; nothing stored
   * @param timedOut answered at the answer timeout, before the ingest finished
   * @param denied answered with {@code allow_publish=false} (deny-on-failure)
   */
  public record Snapshot(
      long received,
      long stored,
      long noMatchingRule,
      long rejected,
      long failed,
      long timedOut,
      long denied) {}

  public Snapshot snapshot() {
    return new Snapshot(
        received.sum(),
        stored.sum(),
        noMatchingRule.sum(),
        rejected.sum(),
        failed.sum(),
        timedOut.sum(),
        denied.sum());
  }

  void received() {
    received.increment();
  }

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

  void timedOut() {
    timedOut.increment();
  }

  void denied() {
    denied.increment();
  }
}
