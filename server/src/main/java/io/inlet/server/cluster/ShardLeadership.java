package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.cluster.replication.LeaderFencedException;
import io.inlet.cluster.replication.MetadataEpochSource;
import io.inlet.cluster.replication.Replica;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.ShardInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who leads each replicated shard, decided by every node for the shards it is a replica of. The
 * leader is the replica holding the shard's latest claim in {@value MetadataEpochSource#NAMESPACE}
 * (the claim's version is its epoch). Every second (and on demand) this node looks at its shards:
 * when a shard has no claim, or its claimant is not a running member, and this node is the
 * highest-ranked running replica (rendezvous order), it leads it ({@link ReplicationNode#lead},
 * which claims a new epoch, recovers the shard on a majority and returns once that is committed). A
 * node that holds the latest claim but no leader (it restarted) leads again, with a new epoch,
 * before it serves. A leader that was replaced (a later claim, or {@link LeaderFencedException}) is
 * closed. No attempt starts before this node knows the replication addresses of a majority of the
 * replicas (a claim fences the running leader, so one that cannot seal a majority only leaves the
 * shard leaderless). Leading runs off the event loops, on {@code inlet-shard-leadership} threads; a
 * failed attempt is retried with a backoff (200 ms doubling to 5 s). After each look the {@link
 * ReplicaSetKeeper} keeps the replica sets of the shards this node leads, and {@link
 * PreferredLeaders} gives one shard back to its preferred leader when one is due. While this node's
 * replica store refuses writes (a full disk) it leads nothing and moves the claims it holds to
 * other running replicas ({@link #handOff}).
 */
final class ShardLeadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardLeadership.class);
  private static final long TICK_MS = 1000;
  private static final long FIRST_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5000;

  /** A shard's latest claim: the claimant's node id and the epoch (the claim's version). */
  record Claim(int nodeId, long epoch) {}

  /** A leader this node runs, with the followers' addresses it was started with. */
  /** A shard this node leads: its leader, the followers it streams to, since when (epoch ms). */
  record Led(ShardLeader leader, List<Replica> followers, long sinceMs) {}

  /** When a shard's next attempt to lead may start, and the wait after it fails. */
  private record Backoff(long notBeforeMs, long delayMs) {}

  private final int selfId;
  private final ReplicationNode node;
  private final ReplicatedMetadata metadata;
  private final StreamDirectory directory;
  private final NodeMembership members;
  private final ReplicaHousekeeping housekeeping;
  private final ReplicaSetKeeper replicaSets;
  private final PreferredLeaders preferredLeaders;

  private final Map<Long, Claim> claims = new ConcurrentHashMap<>();
  private final Map<Long, Led> leading = new ConcurrentHashMap<>();
  private final Set<Long> attempting = ConcurrentHashMap.newKeySet();
  private final Map<Long, Backoff> backoffs = new ConcurrentHashMap<>();
  private final ReplicaSetKeeper.Leaders keeperView =
      new ReplicaSetKeeper.Leaders() {
        @Override
        public Optional<ShardLeader> on(long shardId, List<Integer> replicas) {
          Led led = leading.get(shardId);
          return led == null
                  || led.leader().isStopped()
                  || !led.followers().equals(followers(replicas))
              ? Optional.empty()
              : Optional.of(led.leader());
        }

        @Override
        public boolean leads(long shardId) {
          return leading.containsKey(shardId);
        }
      };
  private final ScheduledExecutorService ticker;
  private final ExecutorService leaders;
  private volatile boolean closed;

  ShardLeadership(
      int selfId,
      ReplicationNode node,
      ReplicatedMetadata metadata,
      StreamDirectory directory,
      NodeMembership members,
      ReplicaHousekeeping housekeeping,
      ReplicaSetKeeper replicaSets) {
    this.selfId = selfId;
    this.node = node;
    this.metadata = metadata;
    this.directory = directory;
    this.members = members;
    this.housekeeping = housekeeping;
    this.replicaSets = replicaSets;
    this.preferredLeaders = new PreferredLeaders(selfId, metadata, members);
    this.ticker = Executors.newSingleThreadScheduledExecutor(named("inlet-shard-leadership-tick"));
    this.leaders = Executors.newCachedThreadPool(named("inlet-shard-leadership"));
  }

  /** Starts looking at the shards every second. */
  ShardLeadership start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The leader this node runs for {@code shardId}, when it leads it now. */
  Optional<ShardLeader> leader(long shardId) {
    Led led = leading.get(shardId);
    return led == null || led.leader().isStopped() ? Optional.empty() : Optional.of(led.leader());
  }

  /**
   * The node that holds the shard's latest claim when it is a running member (this node included,
   * which may still be recovering the shard); empty while a new leader is being chosen.
   */
  Optional<Integer> leaderOf(long shardId) {
    Claim claim = claims.get(shardId);
    if (claim == null || !members.running().contains(claim.nodeId())) {
      return Optional.empty();
    }
    return Optional.of(claim.nodeId());
  }

  /**
   * The replication address of the node holding the shard's latest claim, when it is a running
   * member (this node's own included); empty while a new leader is being chosen.
   */
  Optional<Replica> leaderAddress(long shardId) {
    return leaderOf(shardId).flatMap(members::replicationAddress);
  }

  /**
   * True when no node has ever claimed the shard (asked of the metadata group when this node knows
   * no claim): no leader ever ran, so nothing of it was ever acknowledged. A new shard is in this
   * state until its first leader has claimed it, about a second after its stream was created.
   */
  boolean neverLed(long shardId) {
    if (claims.containsKey(shardId)) {
      return false;
    }
    Optional<Claim> latest = latestClaim(shardId);
    latest.ifPresent(claim -> claims.putIfAbsent(shardId, claim));
    return latest.isEmpty();
  }

  /** The shard's latest claim, read from the metadata group (linearizable). */
  private Optional<Claim> latestClaim(long shardId) {
    return ReplicatedMetadataCatalog.await(
            metadata.get(
                MetadataEpochSource.NAMESPACE,
                Long.toUnsignedString(shardId),
                ReadMode.LINEARIZABLE))
        .map(ShardLeadership::claimOf);
  }

  /**
   * True while this node is taking the shard over, or holds its latest claim without a leader
   * running (it restarted, or its last attempt failed): its copy may then hold fewer committed
   * entries than were acknowledged (a new leader cuts its log back to what it knows committed and
   * commits the rest again), so it must not answer where the shard ends.
   */
  boolean recovering(long shardId) {
    if (attempting.contains(shardId)) {
      return true;
    }
    Claim claim = claims.get(shardId);
    return claim != null && claim.nodeId() == selfId && leader(shardId).isEmpty();
  }

  /** A leader of this node was fenced: drop it and look again at once. */
  void fenced(long shardId) {
    Led led = leading.get(shardId);
    if (led != null && led.leader().isStopped()) {
      leading.remove(shardId, led);
    }
    ticker.execute(this::tick);
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      readClaims();
      Set<Integer> running = members.running();
      Optional<String> refused = node.writesRefused();
      StreamDirectory.Catalog catalog = directory.catalog();
      Set<Long> mine = new HashSet<>();
      for (PlacedStream stream : catalog.streams()) {
        for (ShardInfo shard : stream.stream().shards()) {
          List<Integer> replicas = stream.replicasOf(shard.shardId());
          if (stream.isReplicated(shard.shardId()) && replicas.contains(selfId)) {
            mine.add(shard.shardId());
            if (refused.isPresent()) {
              handOff(shard.shardId(), replicas, running, refused.get());
            } else {
              look(shard.shardId(), replicas, stream.previousReplicasOf(shard.shardId()), running);
            }
          }
        }
      }
      stopLeadingOthers(mine);
      housekeeping.afterLook(catalog);
      replicaSets.keep(catalog, running, keeperView);
      preferredLeaders
          .handOverOne(catalog, running, Collections.unmodifiableMap(leading))
          .ifPresent(this::handedOver);
    } catch (RuntimeException e) {
      log.debug("shard leadership: this round failed, next in {} ms: {}", TICK_MS, e.toString());
    }
  }

  /** Stops a leader whose shard was handed over, and notes the new claim. */
  private void handedOver(PreferredLeaders.Handover handover) {
    long shardId = handover.leader().shardId();
    claims.put(shardId, new Claim(handover.to(), handover.epoch()));
    Led led = leading.get(shardId);
    if (led != null && led.leader() == handover.leader()) {
      leading.remove(shardId, led);
    }
    handover.leader().close();
  }

  /** Looks at the shards at once (a stream was deleted, say), besides every second. */
  void lookNow() {
    try {
      ticker.execute(this::tick);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing to look at
    }
  }

  /**
   * Closes this node's leaders of shards it no longer holds a replica of (their stream was deleted,
   * or this node was replaced while it was thought gone).
   */
  private void stopLeadingOthers(Set<Long> mine) {
    for (Map.Entry<Long, Led> led : leading.entrySet()) {
      if (!mine.contains(led.getKey()) && leading.remove(led.getKey(), led.getValue())) {
        led.getValue().leader().close();
      }
    }
  }

  private void readClaims() {
    Map<String, MetadataEntry> entries =
        ReplicatedMetadataCatalog.await(
            metadata.list(MetadataEpochSource.NAMESPACE, ReadMode.LOCAL));
    entries.forEach((key, entry) -> claims.put(Long.parseUnsignedLong(key), claimOf(entry)));
  }

  private static Claim claimOf(MetadataEntry entry) {
    return new Claim(
        Integer.parseInt(new String(entry.value(), StandardCharsets.UTF_8)), entry.version());
  }

  /**
   * While this node's replica store refuses writes (its disk is full): stops leading the shard, and
   * moves the shard's claim, when this node holds it, to the first-ranked running replica that
   * another node can reach; that node leads it with a new epoch, on the replicas that still write.
   * Without this the shard would have no leader until the disk is freed, although a majority of its
   * replicas could take appends. Once this node writes again it leads nothing until a claim or
   * {@link PreferredLeaders} gives it shards back.
   */
  private void handOff(long shardId, List<Integer> replicas, Set<Integer> running, String why) {
    Led led = leading.remove(shardId);
    if (led != null) {
      led.leader().close();
    }
    Claim claim = claims.get(shardId);
    if (claim == null || claim.nodeId() != selfId) {
      return;
    }
    List<Integer> others =
        replicas.stream()
            .filter(id -> id != selfId)
            .filter(running::contains)
            .filter(id -> members.replicationAddress(id).isPresent())
            .toList();
    if (others.isEmpty()) {
      return;
    }
    int to = RendezvousPlacement.place(shardId, 1, others).leader();
    ClaimTransfer.transfer(metadata, shardId, claim.epoch(), to)
        .ifPresent(
            epoch -> {
              claims.put(shardId, new Claim(to, epoch));
              log.warn("shard {}: handed its leadership to node {}: {}", shardId, to, why);
            });
  }

  private void look(
      long shardId, List<Integer> replicas, List<Integer> previous, Set<Integer> running) {
    Claim claim = claims.get(shardId);
    Led led = leading.get(shardId);
    if (led != null) {
      boolean replaced = claim != null && claim.epoch() > led.leader().epoch();
      if (!led.leader().isStopped() && !replaced && !followersMoved(led, replicas)) {
        return;
      }
      leading.remove(shardId, led);
      led.leader().close();
    }
    if (shouldLead(shardId, replicas, running, claim)
        && reachesMajority(replicas)
        && reachesMajority(previous)
        && mayAttempt(shardId)) {
      attempting.add(shardId);
      leaders.execute(() -> lead(shardId, replicas, previous));
    }
  }

  /** Leads when this node holds the claim, or none does and it ranks first among the running. */
  private boolean shouldLead(
      long shardId, List<Integer> replicas, Set<Integer> running, Claim claim) {
    if (claim != null && claim.nodeId() == selfId) {
      return true;
    }
    if (claim != null && running.contains(claim.nodeId()) && replicas.contains(claim.nodeId())) {
      return false;
    }
    List<Integer> candidates = replicas.stream().filter(running::contains).toList();
    return !candidates.isEmpty()
        && RendezvousPlacement.place(shardId, 1, candidates).leader() == selfId;
  }

  /**
   * True when this node knows the replication address of a majority of {@code replicas} (itself
   * included), or the set is empty. A node that has just restarted does not know its peers' yet: a
   * claim made then would fence the running leader (the claim is a new epoch) and fail to seal a
   * majority, leaving the shard with no leader until the next attempt.
   */
  private boolean reachesMajority(List<Integer> replicas) {
    long known =
        replicas.stream()
            .filter(id -> id == selfId || members.replicationAddress(id).isPresent())
            .count();
    return replicas.isEmpty() || known > replicas.size() / 2;
  }

  private boolean mayAttempt(long shardId) {
    if (attempting.contains(shardId)) {
      return false;
    }
    Backoff backoff = backoffs.get(shardId);
    return backoff == null || System.currentTimeMillis() >= backoff.notBeforeMs();
  }

  /** A follower restarted at another address: a leader streaming to the old one is restarted. */
  private boolean followersMoved(Led led, List<Integer> replicas) {
    return !followers(replicas).equals(led.followers())
        && followers(replicas).stream().noneMatch(r -> r.host().endsWith(".invalid"));
  }

  private void lead(long shardId, List<Integer> replicas, List<Integer> previousSet) {
    try {
      // Decide again on a linearizable read: a restarted node's replica may be behind, and its
      // old claim must not make it take a shard over from a leader chosen since.
      Claim claim = latestClaim(shardId).orElse(null);
      if (claim != null) {
        claims.put(shardId, claim);
      }
      if (closed || !shouldLead(shardId, replicas, members.running(), claim)) {
        return;
      }
      List<Replica> followers = followers(replicas);
      List<Replica> before = previousSet.stream().map(this::addressOf).toList();
      ShardLeader leader =
          node.lead(shardId, ignored -> followers, before, new MetadataEpochSource(metadata));
      if (closed) {
        leader.close();
        return;
      }
      claims.put(shardId, new Claim(selfId, leader.epoch()));
      leading.put(shardId, new Led(leader, followers, System.currentTimeMillis()));
      backoffs.remove(shardId);
      log.info(
          "shard {}: this node leads it, epoch {}, replicas {}{}",
          shardId,
          leader.epoch(),
          replicas,
          previousSet.isEmpty() ? "" : " (changing from " + previousSet + ")");
    } catch (RuntimeException e) {
      Backoff previous = backoffs.get(shardId);
      long delay =
          previous == null ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, previous.delayMs() * 2);
      backoffs.put(shardId, new Backoff(System.currentTimeMillis() + delay, delay));
      log.info("shard {}: could not lead it (next try in {} ms): {}", shardId, delay, e.toString());
    } finally {
      attempting.remove(shardId);
    }
  }

  /**
   * The other replicas as the leader streams to them: their last gossiped replication address, or
   * an address that cannot resolve when this node never heard of them (they count for the majority
   * all the same, and the leader is restarted once they are heard of).
   */
  private List<Replica> followers(List<Integer> replicas) {
    List<Replica> followers = new ArrayList<>();
    for (int id : replicas) {
      if (id != selfId) {
        followers.add(addressOf(id));
      }
    }
    return followers;
  }

  private Replica addressOf(int id) {
    return members
        .replicationAddress(id)
        .orElseGet(() -> new Replica(Integer.toString(id), "node-" + id + ".invalid", 1));
  }

  /** Stops looking and closes this node's leaders (failing what waits for a majority). */
  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    leaders.shutdownNow();
    leading.values().forEach(led -> led.leader().close());
    leading.clear();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
