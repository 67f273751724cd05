package io.inlet.emqx;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the messages EMQX handed over through {@code OnMessagePublish}, counted since the
 * provider started. Outcomes ({@code stored}, {@code noMatchingRule}, {@code rejected}, {@code
 * failed}) count what the ingest did, also when it finished after the answer was sent; {@code
 * invalid} counts messages refused before any ingest (MQTT would refuse them); answers ({@code
 * timedOut}, {@code denied}) count what EMQX was told. Thread-safe.
 */
public final class ExHookStats {
  private final LongAdder received = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final LongAdder noMatchingRule = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder denied = new LongAdder();

  /**
   * @param received publishes EMQX sent
   * @param stored stored durably
   * @param noMatchingRule matched no mapping rule; nothing stored, EMQX continued
   * @param rejected refused by their rule (e.g. not JSON); nothing stored, EMQX continued
   * @param failed the store failed; nothing stored
   * @param invalid refused as MQTT would refuse it (empty topic, wildcard or NUL in it, QoS above
   *     2); nothing stored, EMQX told to drop it
   * @param timedOut answered at the answer timeout, before the ingest finished
   * @param denied answered with {@code allow_publish=false} (deny-on-failure)
   */
  public record Snapshot(
      long received,
      long stored,
      long noMatchingRule,
      long rejected,
      long failed,
      long invalid,
      long timedOut,
      long denied) {}

  public Snapshot snapshot() {
    return new Snapshot(
        received.sum(),
        stored.sum(),
        noMatchingRule.sum(),
        rejected.sum(),
        failed.sum(),
        invalid.sum(),
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

  void invalid() {
    invalid.increment();
  }

  void timedOut() {
    timedOut.increment();
  }

  void denied() {
    denied.increment();
  }
}
