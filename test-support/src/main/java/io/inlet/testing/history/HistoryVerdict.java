package io.inlet.testing.history;

import java.util.List;

/**
 * What {@link HistoryChecker} found. Every count but the first five is a violation; {@link
 * #findings} describes them (at most a few examples of each kind).
 *
 * @param attempts append attempts
 * @param acknowledged records acknowledged
 * @param failed records whose append was refused
 * @param unknown records whose outcome is unknown (stored or not, both fine)
 * @param stored records the final reads returned
 * @param lost acknowledged records missing from the reads
 * @param idsHandedOutTwice record ids acknowledged for two different records
 * @param readTwice records (by payload id, or by record id) the reads returned more than once
 * @param outOfOrder acknowledged records read out of their client's order, or shards whose reads
 *     are not in record id order
 * @param misplaced acknowledged records read under another id or in another shard than acknowledged
 * @param storedUnasked records read that were never sent, or whose append was refused
 */
public record HistoryVerdict(
    long attempts,
    long acknowledged,
    long failed,
    long unknown,
    long stored,
    long lost,
    long idsHandedOutTwice,
    long readTwice,
    long outOfOrder,
    long misplaced,
    long storedUnasked,
    List<String> findings) {
  public HistoryVerdict {
    findings = List.copyOf(findings);
  }

  /** True when nothing was lost, duplicated, reordered, misplaced or stored unasked. */
  public boolean clean() {
    return lost + idsHandedOutTwice + readTwice + outOfOrder + misplaced + storedUnasked == 0;
  }
}
