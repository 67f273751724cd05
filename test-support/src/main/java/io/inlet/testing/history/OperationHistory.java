package io.inlet.testing.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The history of a run, safe to record from many threads: every append attempt with the logical
 * time it was sent and answered, then the final read of every shard. {@link HistoryChecker} judges
 * it.
 */
public final class OperationHistory {
  private final AtomicLong clock = new AtomicLong();
  private final List<Pending> attempts = new ArrayList<>();
  private final Map<Long, List<StoredRecord>> reads = new LinkedHashMap<>();

  /** Records that {@code client} sends {@code payloadIds}; complete the result once answered. */
  public Pending begin(String client, String stream, long shardId, List<String> payloadIds) {
    Pending pending = new Pending(client, stream, shardId, payloadIds, clock.incrementAndGet());
    synchronized (this) {
      attempts.add(pending);
    }
    return pending;
  }

  /** Records the final read of a shard, in the order the shard returned its records. */
  public synchronized void shardRead(long shardId, List<StoredRecord> records) {
    if (reads.putIfAbsent(shardId, List.copyOf(records)) != null) {
      throw new IllegalStateException("shard " + shardId + " was read already");
    }
  }

  /** Every attempt so far (pending ones as {@link Outcome#PENDING}). */
  public synchronized List<AppendAttempt> attempts() {
    return attempts.stream().map(Pending::snapshot).toList();
  }

  /** The final reads, by shard. */
  public synchronized Map<Long, List<StoredRecord>> reads() {
    return Map.copyOf(reads);
  }

  /** Acknowledged records so far. */
  public synchronized long acknowledgedRecords() {
    return attempts.stream()
        .map(Pending::snapshot)
        .filter(AppendAttempt::acknowledged)
        .mapToLong(a -> a.payloadIds().size())
        .sum();
  }

  /** An attempt in flight; exactly one of its completions takes effect. */
  public final class Pending {
    private final String client;
    private final String stream;
    private final long shardId;
    private final List<String> payloadIds;
    private final long invoked;
    private Outcome outcome = Outcome.PENDING;
    private List<RecordId> recordIds = List.of();
    private long completed = Long.MAX_VALUE;
    private String detail = "";

    private Pending(
        String client, String stream, long shardId, List<String> payloadIds, long invoked) {
      this.client = client;
      this.stream = stream;
      this.shardId = shardId;
      this.payloadIds = List.copyOf(payloadIds);
      this.invoked = invoked;
    }

    /** Acknowledged, with one record id per record (or none when the protocol gives none). */
    public void ok(List<RecordId> ids) {
      complete(Outcome.OK, ids, "");
    }

    /** Refused such that nothing was stored. */
    public void failed(String why) {
      complete(Outcome.FAILED, List.of(), why);
    }

    /** Ended without saying whether anything was stored. */
    public void unknown(String why) {
      complete(Outcome.UNKNOWN, List.of(), why);
    }

    private void complete(Outcome result, List<RecordId> ids, String why) {
      long now = clock.incrementAndGet();
      synchronized (OperationHistory.this) {
        if (outcome != Outcome.PENDING) {
          return;
        }
        outcome = result;
        recordIds = List.copyOf(ids);
        completed = now;
        detail = why;
      }
    }

    private AppendAttempt snapshot() {
      synchronized (OperationHistory.this) {
        return new AppendAttempt(
            client, stream, shardId, payloadIds, outcome, recordIds, invoked, completed, detail);
      }
    }
  }
}
