package io.inlet.cluster.replication;

import io.inlet.cluster.replication.proto.ReadRequest;
import io.inlet.cluster.replication.proto.ReadResponse;
import io.inlet.cluster.replication.proto.SealRequest;
import io.inlet.cluster.replication.proto.SealResponse;
import io.inlet.cluster.replication.proto.ShardReplicationGrpc;
import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a new leader does before it takes appends (docs/architecture.md, "The replicated shard
 * log"): seal the shard at its epoch on a majority of the replicas (itself included), collect their
 * tails, committed LSNs and epoch tables, and rebuild the log it will lead: its own entries as far
 * as they agree with what the majority holds and are known committed ({@code keepLsn}), then, up to
 * the highest tail found, for each LSN the entry of the highest epoch any sealed replica holds
 * there. Those entries are then appended again under the new epoch, so a later recovery prefers
 * them to any other entry at the same LSN.
 */
final class LeaderRecovery {
  /** The log to lead: keep the own log up to {@code keepLsn}, then append {@code entries}. */
  record Recovered(long keepLsn, List<SegmentEntry> entries) {}

  /** A sealed replica's view of the shard; {@code stub} null for the leader's own copy. */
  private record View(
      String name,
      long tailLsn,
      long committedLsn,
      EpochTable epochs,
      ShardReplicationGrpc.ShardReplicationBlockingStub stub) {}

  private static final long SEAL_TIMEOUT_MS = 15_000;
  private static final int READ_CHUNK = 4096;

  private final ReplicaShard local;
  private final long epoch;
  private final List<Replica> followers;
  private final List<Replica> previous;
  private final ReplicationNode node;

  /**
   * @param followers the shard's other replicas
   * @param previous the shard's replicas before a change of its replica set that no leader has
   *     finished yet (empty when none): a majority of them must be sealed too, so that every entry
   *     committed under the previous set is found
   */
  LeaderRecovery(
      ReplicaShard local,
      long epoch,
      List<Replica> followers,
      List<Replica> previous,
      ReplicationNode node) {
    this.local = local;
    this.epoch = epoch;
    this.followers = followers;
    this.previous = previous;
    this.node = node;
  }

  /**
   * Runs the recovery.
   *
   * @throws ReplicationException when fewer than a majority could be sealed, or a replica dropped
   *     out while its entries were being read
   * @throws LeaderFencedException when a replica is sealed at a higher epoch
   */
  Recovered run() {
    List<View> views = seal();
    long tail = 0;
    long committed = 0;
    for (View view : views) {
      tail = Math.max(tail, view.tailLsn());
      committed = Math.max(committed, view.committedLsn());
    }
    View own = views.get(0);
    List<Range> ranges = bestRanges(views, tail);
    EpochTable best = new EpochTable();
    for (Range range : ranges) {
      best.appended(range.from(), range.epoch());
    }
    long agreed = EpochTable.divergence(own.epochs(), own.tailLsn(), best, tail);
    long keep = Math.min(agreed, committed);
    List<SegmentEntry> entries = new ArrayList<>();
    for (Range range : ranges) {
      long from = Math.max(range.from(), keep + 1);
      if (from <= range.to()) {
        fetch(range.view(), from, range.to(), range.epoch(), entries);
      }
    }
    return new Recovered(keep, entries);
  }

  private List<View> seal() {
    CompletableFuture<SealOutcome> ownSeal = local.seal(epoch);
    Set<String> current = new HashSet<>();
    current.add(node.id());
    followers.forEach(f -> current.add(f.id()));
    Set<String> before = new HashSet<>();
    previous.forEach(p -> before.add(p.id()));
    List<Replica> targets = new ArrayList<>(followers);
    for (Replica retiring : previous) {
      if (!current.contains(retiring.id())) {
        targets.add(retiring);
      }
    }
    List<CompletableFuture<SealResponse>> calls = new ArrayList<>();
    for (Replica target : targets) {
      calls.add(
          CompletableFuture.supplyAsync(
              () ->
                  node.blockingStub(target)
                      .withDeadlineAfter(SEAL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                      .seal(
                          SealRequest.newBuilder()
                              .setShardId(local.shardId())
                              .setEpoch(epoch)
                              .build()),
              node.blockingCalls()));
    }
    List<View> views = new ArrayList<>();
    List<String> sealedIds = new ArrayList<>();
    SealOutcome mine = ownSeal.join();
    if (!mine.sealed()) {
      throw new LeaderFencedException(local.shardId(), epoch, mine.sealedEpoch());
    }
    views.add(
        new View("self", mine.tailLsn(), mine.committedLsn(), EpochTable.of(mine.epochs()), null));
    sealedIds.add(node.id());
    // Answers are taken as they come, and only until enough replicas are sealed (a majority of the
    // replica set, and of the previous one while a change is under way): a replica cut off from
    // this node answers nothing until the seal's deadline, and waiting for it would keep the shard
    // without a leader that long. A replica sealed later is caught up by the new leader.
    BlockingQueue<Integer> answered = new LinkedBlockingQueue<>();
    for (int i = 0; i < calls.size(); i++) {
      int index = i;
      calls.get(i).whenComplete((response, error) -> answered.add(index));
    }
    List<String> unreachable = new ArrayList<>();
    for (int taken = 0;
        taken < calls.size()
            && !(hasMajority(sealedIds, current) && hasMajority(sealedIds, before));
        taken++) {
      int i = takeNext(answered);
      SealResponse response;
      try {
        response = calls.get(i).join();
      } catch (RuntimeException e) {
        unreachable.add(targets.get(i) + " (" + e.getCause() + ")");
        continue;
      }
      if (!response.getSealed()) {
        throw new LeaderFencedException(local.shardId(), epoch, response.getSealedEpoch());
      }
      views.add(
          new View(
              targets.get(i).toString(),
              response.getTailLsn(),
              response.getCommittedLsn(),
              EpochTable.of(response.getEpochsList()),
              node.blockingStub(targets.get(i))));
      sealedIds.add(targets.get(i).id());
    }
    requireMajority(sealedIds, current, "", unreachable);
    if (!before.isEmpty()) {
      requireMajority(sealedIds, before, " of its previous replica set", unreachable);
    }
    return views;
  }

  /** True when {@code sealedIds} hold a majority of {@code set} (an empty set needs none). */
  private static boolean hasMajority(List<String> sealedIds, Set<String> set) {
    return set.isEmpty() || sealedIds.stream().filter(set::contains).count() >= set.size() / 2 + 1;
  }

  private int takeNext(BlockingQueue<Integer> answered) {
    try {
      return answered.take(); // every call ends by its deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplicationException(
          "shard " + Long.toUnsignedString(local.shardId()) + ": interrupted while sealing", e);
    }
  }

  private void requireMajority(
      List<String> sealedIds, Set<String> set, String which, List<String> unreachable) {
    long sealed = sealedIds.stream().filter(set::contains).count();
    int majority = set.size() / 2 + 1;
    if (sealed < majority) {
      throw new ReplicationException(
          "shard "
              + Long.toUnsignedString(local.shardId())
              + ": sealed "
              + sealed
              + " of the "
              + set.size()
              + " replicas"
              + which
              + " at epoch "
              + epoch
              + ", a majority needs "
              + majority
              + "; unreachable: "
              + unreachable);
    }
  }

  /** A run of LSNs whose best entries (highest epoch) one view holds. */
  private record Range(long from, long to, long epoch, View view) {}

  private static List<Range> bestRanges(List<View> views, long tail) {
    List<Range> ranges = new ArrayList<>();
    long lsn = 1;
    while (lsn <= tail) {
      View best = null;
      long bestEpoch = -1;
      long end = tail;
      for (View view : views) {
        if (view.tailLsn() < lsn) {
          continue;
        }
        long e = view.epochs().epochAt(lsn);
        if (e > bestEpoch) {
          bestEpoch = e;
          best = view;
        }
        end = Math.min(end, Math.min(view.tailLsn(), view.epochs().nextRunStart(lsn) - 1));
      }
      ranges.add(new Range(lsn, end, bestEpoch, best));
      lsn = end + 1;
    }
    return ranges;
  }

  private void fetch(View view, long from, long to, long rangeEpoch, List<SegmentEntry> out) {
    long next = from;
    while (next <= to) {
      List<SegmentEntry> chunk = new ArrayList<>();
      if (view.stub() == null) {
        for (LoggedEntry e : local.read(next, to, READ_CHUNK)) {
          chunk.add(e.entry());
        }
      } else {
        ReadResponse response =
            view.stub()
                .withDeadlineAfter(SEAL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .read(
                    ReadRequest.newBuilder()
                        .setShardId(local.shardId())
                        .setFromLsn(next)
                        .setToLsn(to)
                        .setMaxEntries(READ_CHUNK)
                        .build());
        response.getEntriesList().forEach(e -> chunk.add(EntryCodec.fromWire(e)));
      }
      if (chunk.isEmpty() || chunk.stream().anyMatch(e -> e.epoch() != rangeEpoch)) {
        throw new ReplicationException(
            "shard "
                + Long.toUnsignedString(local.shardId())
                + ": "
                + view.name()
                + " no longer holds the entries of epoch "
                + rangeEpoch
                + " from LSN "
                + next
                + " it reported when sealed");
      }
      out.addAll(chunk);
      next += chunk.size();
    }
  }
}
