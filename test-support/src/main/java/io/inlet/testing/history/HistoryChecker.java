package io.inlet.testing.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a history of appends against the final reads of every shard:
 *
 * <ul>
 *   <li>every acknowledged record is read (else <b>lost</b>), under the record id it was
 *       acknowledged with and in the shard its client named (else <b>misplaced</b>);
 *   <li>no record id is acknowledged for two records, and no record (payload id or record id) is
 *       read twice;
 *   <li>order: within a client and a shard, an acknowledged record whose acknowledgement came
 *       before another record was sent is read before it, and a batch's records are read in batch
 *       order; each shard's reads are in record id order;
 *   <li>nothing is read that was never sent or whose append was refused.
 * </ul>
 *
 * Records of attempts with an unknown outcome may be read once or not at all.
 */
public final class HistoryChecker {
  private static final int EXAMPLES_PER_KIND = 5;

  private HistoryChecker() {}

  public static HistoryVerdict check(OperationHistory history) {
    return check(history.attempts(), history.reads());
  }

  /**
   * @param reads each shard's records in the order its final read returned them
   */
  public static HistoryVerdict check(
      List<AppendAttempt> attempts, Map<Long, List<StoredRecord>> reads) {
    return new Run(attempts, reads).verdict();
  }

  /** A position in the final reads. */
  private record Position(long shardId, int index, RecordId id) {}

  private record Sent(AppendAttempt attempt, int indexInBatch) {}

  private static final class Run {
    private final List<AppendAttempt> attempts;
    private final Map<Long, List<StoredRecord>> reads;
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> examples = new HashMap<>();
    private final Map<String, Sent> sent = new HashMap<>();
    private final Map<String, Position> readAt = new HashMap<>();
    private long lost;
    private long idsTwice;
    private long readTwice;
    private long outOfOrder;
    private long misplaced;
    private long unasked;
    private long stored;

    Run(List<AppendAttempt> attempts, Map<Long, List<StoredRecord>> reads) {
      this.attempts = attempts;
      this.reads = reads;
    }

    HistoryVerdict verdict() {
      indexSent();
      indexReads();
      checkAcknowledged();
      checkIdsHandedOutOnce();
      checkClientOrder();
      long acknowledged = 0;
      long failed = 0;
      long unknown = 0;
      for (AppendAttempt a : attempts) {
        int n = a.payloadIds().size();
        switch (a.outcome()) {
          case OK -> acknowledged += n;
          case FAILED -> failed += n;
          default -> unknown += n;
        }
      }
      return new HistoryVerdict(
          attempts.size(),
          acknowledged,
          failed,
          unknown,
          stored,
          lost,
          idsTwice,
          readTwice,
          outOfOrder,
          misplaced,
          unasked,
          findings);
    }

    private void indexSent() {
      for (AppendAttempt a : attempts) {
        for (int i = 0; i < a.payloadIds().size(); i++) {
          if (sent.put(a.payloadIds().get(i), new Sent(a, i)) != null) {
            throw new IllegalArgumentException(
                "payload id " + a.payloadIds().get(i) + " sent twice: the history is invalid");
          }
        }
      }
    }

    private void indexReads() {
      Map<RecordId, String> byId = new HashMap<>();
      for (Map.Entry<Long, List<StoredRecord>> shard : reads.entrySet()) {
        RecordId previous = null;
        List<StoredRecord> records = shard.getValue();
        for (int i = 0; i < records.size(); i++) {
          StoredRecord r = records.get(i);
          stored++;
          if (previous != null && previous.compareTo(r.id()) >= 0) {
            outOfOrder++;
            finding(
                "order", "shard " + shard.getKey() + " returned " + r.id() + " after " + previous);
          }
          previous = r.id();
          String other = byId.putIfAbsent(r.id(), r.payloadId());
          if (other != null) {
            readTwice++;
            finding(
                "read-twice-id",
                "record id " + r.id() + " read twice: " + other + " and " + r.payloadId());
          }
          Position before =
              readAt.putIfAbsent(r.payloadId(), new Position(shard.getKey(), i, r.id()));
          if (before != null) {
            readTwice++;
            finding(
                "read-twice",
                r.payloadId() + " read twice: as " + before.id() + " and as " + r.id());
          }
          Sent s = sent.get(r.payloadId());
          if (s == null) {
            unasked++;
            finding("unasked", "read " + r.payloadId() + " (" + r.id() + "), which nobody sent");
          } else if (s.attempt().outcome() == Outcome.FAILED) {
            unasked++;
            finding(
                "unasked",
                "read "
                    + r.payloadId()
                    + " ("
                    + r.id()
                    + "), whose append was refused: "
                    + s.attempt().detail());
          }
        }
      }
    }

    private void checkAcknowledged() {
      for (AppendAttempt a : attempts) {
        if (!a.acknowledged()) {
          continue;
        }
        for (int i = 0; i < a.payloadIds().size(); i++) {
          String payload = a.payloadIds().get(i);
          Position at = readAt.get(payload);
          if (at == null) {
            lost++;
            finding(
                "lost",
                "acknowledged "
                    + payload
                    + (a.recordIds().isEmpty() ? "" : " as " + a.recordIds().get(i))
                    + " (client "
                    + a.client()
                    + ") is missing");
            continue;
          }
          boolean otherShard =
              a.shardId() != AppendAttempt.SHARD_CHOSEN_BY_SERVER && a.shardId() != at.shardId();
          boolean otherId = !a.recordIds().isEmpty() && !a.recordIds().get(i).equals(at.id());
          if (otherShard || otherId) {
            misplaced++;
            finding(
                "misplaced",
                "acknowledged "
                    + payload
                    + " in shard "
                    + a.shardId()
                    + (a.recordIds().isEmpty() ? "" : " as " + a.recordIds().get(i))
                    + " is stored in shard "
                    + at.shardId()
                    + " as "
                    + at.id());
          }
        }
      }
    }

    private void checkIdsHandedOutOnce() {
      Map<RecordId, String> handedOut = new HashMap<>();
      for (AppendAttempt a : attempts) {
        if (!a.acknowledged()) {
          continue;
        }
        for (int i = 0; i < a.recordIds().size(); i++) {
          String other = handedOut.putIfAbsent(a.recordIds().get(i), a.payloadIds().get(i));
          if (other != null) {
            idsTwice++;
            finding(
                "id-twice",
                "record id "
                    + a.recordIds().get(i)
                    + " acknowledged for "
                    + other
                    + " and for "
                    + a.payloadIds().get(i));
          }
        }
      }
    }

    /**
     * Per client and shard read: B must be read after A when A's acknowledgement came before B was
     * sent. A sweep over the client's sends and acknowledgements in clock order keeps the furthest
     * read position acknowledged so far; each send must be read past it.
     */
    private void checkClientOrder() {
      Map<String, List<AppendAttempt>> byClient = new HashMap<>();
      for (AppendAttempt a : attempts) {
        if (a.acknowledged()) {
          byClient.computeIfAbsent(a.client(), c -> new ArrayList<>()).add(a);
        }
      }
      for (Map.Entry<String, List<AppendAttempt>> client : byClient.entrySet()) {
        checkBatchOrder(client.getValue());
        List<long[]> events = new ArrayList<>(); // {clock, 0 = ack | 1 = send, attempt index}
        List<AppendAttempt> acked = client.getValue();
        for (int i = 0; i < acked.size(); i++) {
          events.add(new long[] {acked.get(i).invoked(), 1, i});
          events.add(new long[] {acked.get(i).completed(), 0, i});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        Map<Long, Position> furthestAcked = new HashMap<>();
        Map<Long, String> furthestPayload = new HashMap<>();
        for (long[] e : events) {
          AppendAttempt a = acked.get((int) e[2]);
          List<Position> positions = positions(a);
          if (positions.isEmpty()) {
            continue;
          }
          long shard = positions.get(0).shardId();
          if (e[1] == 1) {
            Position bar = furthestAcked.get(shard);
            Position first = positions.get(0);
            if (bar != null && first.index() <= bar.index()) {
              outOfOrder++;
              finding(
                  "order",
                  "client "
                      + client.getKey()
                      + ": "
                      + a.payloadIds().get(0)
                      + " was sent after "
                      + furthestPayload.get(shard)
                      + " was acknowledged but is read before it in shard "
                      + shard);
            }
          } else {
            Position last = positions.get(positions.size() - 1);
            Position bar = furthestAcked.get(shard);
            if (bar == null || last.index() > bar.index()) {
              furthestAcked.put(shard, last);
              furthestPayload.put(shard, a.payloadIds().get(a.payloadIds().size() - 1));
            }
          }
        }
      }
    }

    private void checkBatchOrder(List<AppendAttempt> acked) {
      for (AppendAttempt a : acked) {
        List<Position> positions = positions(a);
        for (int i = 1; i < positions.size(); i++) {
          Position before = positions.get(i - 1);
          Position after = positions.get(i);
          if (before.shardId() != after.shardId() || before.index() >= after.index()) {
            outOfOrder++;
            finding(
                "order",
                "batch of "
                    + a.client()
                    + ": "
                    + a.payloadIds().get(i)
                    + " is read before the record sent before it in the same batch");
          }
        }
      }
    }

    /** Where an attempt's records were read, for those that were. */
    private List<Position> positions(AppendAttempt a) {
      List<Position> out = new ArrayList<>();
      for (String payload : a.payloadIds()) {
        Position at = readAt.get(payload);
        if (at != null) {
          out.add(at);
        }
      }
      return out;
    }

    private void finding(String kind, String text) {
      int seen = examples.merge(kind, 1, Integer::sum);
      if (seen <= EXAMPLES_PER_KIND) {
        findings.add(text);
      } else if (seen == EXAMPLES_PER_KIND + 1) {
        findings.add("(more of kind " + kind + " left out)");
      }
    }
  }
}
