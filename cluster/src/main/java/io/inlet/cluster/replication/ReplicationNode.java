package io.inlet.cluster.replication;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.cluster.replication.proto.CommittedRequest;
import io.inlet.cluster.replication.proto.CommittedResponse;
import io.inlet.cluster.replication.proto.ShardReplicationGrpc;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentLogOptions;
import io.inlet.store.segment.SegmentLogReopener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's part in shard replication: its copies of shards (a segment log in {@code dir}), the
 * replication service other nodes' leaders send to, and the leaders it runs itself ({@link #lead}).
 * Each node with {@code metadata-nodes} runs one (the server's {@code ShardLeadership} decides who
 * leads what); see docs/cluster.md.
 */
public final class ReplicationNode implements AutoCloseable {
  private static final int MAX_MESSAGE_BYTES = 64 << 20;
  private static final long RECOVERY_TIMEOUT_S = 30;
  private static final int SCAN_CHUNK = 256;

  private final String id;
  private final ReplicaStore store;
  private final Server server;
  private final Replica self;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final RunningLeaders leaders;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService completions;
  private final ExecutorService blockingCalls;
  private final Optional<ClusterTls> tls;
  private final SegmentLogReopener reopener;
  private volatile boolean closed;

  private ReplicationNode(
      String id,
      ReplicaStore store,
      RunningLeaders leaders,
      Server server,
      String host,
      Optional<ClusterTls> tls) {
    this.id = id;
    this.leaders = leaders;
    this.tls = tls;
    this.store = store;
    this.server = server;
    this.self = new Replica(id, host, server.getPort());
    this.scheduler = Executors.newScheduledThreadPool(2, named("inlet-replication-" + id));
    this.completions = Executors.newSingleThreadExecutor(named("inlet-replication-commits-" + id));
    this.blockingCalls = Executors.newCachedThreadPool(named("inlet-replication-calls-" + id));
    this.reopener =
        new SegmentLogReopener(store.log(), "this node's replica store", this::reopenLog);
  }

  /**
   * Reopens the replica store's log after a failed write: this node's leaders stop first (their
   * appends fail with a retryable error, and the node's leadership leads their shards again, with a
   * new epoch, once the log takes writes); then the store retires its copies and reopens the log,
   * which cuts what the failed writes left.
   */
  private boolean reopenLog(Runnable reopen) throws InterruptedException {
    if (closed) {
      return false;
    }
    leaders.closeAll();
    return store.reopenLog(reopen);
  }

  /**
   * Why this node's replica store refuses writes now (its log failed a write, e.g. on a full disk),
   * with what brings them back; empty while it takes them.
   */
  public Optional<String> writesRefused() {
    return reopener.writesRefused();
  }

  /**
   * Opens the node's replica store in {@code dir} and serves replication on {@code host:port} (0:
   * any free port; {@link #self()} tells which).
   *
   * @throws ReplicationException when the store cannot be opened or the port bound
   */
  public static ReplicationNode start(
      String id, String host, int port, Path dir, SegmentLogOptions options) {
    return start(id, host, port, dir, options, Optional.empty());
  }

  /**
   * As {@link #start(String, String, int, Path, SegmentLogOptions)}, with mutual TLS on the
   * replication service and on every connection to another replica when {@code tls} is given: a
   * replica whose certificate the cluster's CA did not sign is refused during the handshake.
   */
  public static ReplicationNode start(
      String id,
      String host,
      int port,
      Path dir,
      SegmentLogOptions options,
      Optional<ClusterTls> tls) {
    ReplicaStore store;
    try {
      store = ReplicaStore.open(dir, options);
    } catch (IOException | RuntimeException e) {
      throw new ReplicationException("cannot open the replica store in " + dir + ": " + e, e);
    }
    RunningLeaders leaders = new RunningLeaders();
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
              .addService(new ShardReplicationService(store, leaders))
              .maxInboundMessageSize(MAX_MESSAGE_BYTES);
      tls.ifPresent(t -> builder.sslContext(t.grpcServerContext()));
      Server server = builder.build().start();
      return new ReplicationNode(id, store, leaders, server, host, tls);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw new ReplicationException(
          "cannot serve shard replication on " + host + ":" + port + ": " + e, e);
    }
  }

  /** This node's id, as in its {@link Replica}. */
  String id() {
    return id;
  }

  /** This node as other replicas reach it. */
  public Replica self() {
    return self;
  }

  /**
   * Becomes the leader of {@code shardId} with a fresh epoch from {@code epochs}: recovers the
   * shard on a majority of itself and {@code replicas.followers(shardId)} and returns once the
   * recovered entries are committed again under that epoch (waiting up to 30 s for a majority).
   *
   * @throws ReplicationException when no majority could be sealed or the recovery failed; the
   *     caller may try again (with a new epoch)
   * @throws LeaderFencedException when a replica is sealed at a higher epoch already
   */
  public ShardLeader lead(long shardId, ShardReplicas replicas, EpochSource epochs) {
    return lead(shardId, replicas, List.of(), epochs);
  }

  /**
   * As {@link #lead(long, ShardReplicas, EpochSource)}, for a shard whose replica set changed and
   * whose change no leader has finished: {@code previous} is the replica set before the change
   * (this node and the followers may be in it), and the recovery must seal a majority of it as well
   * as a majority of the new set, so that every entry acknowledged under the previous set is found
   * and committed again on the new one. The change is finished (and {@code previous} may be
   * forgotten) once {@link ShardLeader#settledOnReplicas()} is true.
   */
  public ShardLeader lead(
      long shardId, ShardReplicas replicas, List<Replica> previous, EpochSource epochs) {
    List<Replica> followers = replicas.followers(shardId);
    long epoch = epochs.nextEpoch(shardId);
    ReplicaShard local = store.shard(shardId);
    LeaderRecovery.Recovered recovered =
        new LeaderRecovery(local, epoch, followers, previous, this).run();
    ShardLeader leader = new ShardLeader(local, epoch, recovered, followers, this);
    leaders.add(leader);
    try {
      leader.recovered().get(RECOVERY_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      leader.close();
      throw new ReplicationException(
          "shard "
              + Long.toUnsignedString(shardId)
              + ": the recovered entries were not committed again under epoch "
              + epoch
              + " within "
              + RECOVERY_TIMEOUT_S
              + " s: "
              + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leader.close();
      throw new ReplicationException("interrupted while recovering", e);
    }
    return leader;
  }

  /** Up to {@code max} entries of this node's copy of a shard from {@code fromLsn} (durable). */
  public List<LoggedEntry> read(long shardId, long fromLsn, int max) {
    return store.shard(shardId).read(fromLsn, Long.MAX_VALUE, max);
  }

  /** The LSN of the last entry this node's copy of a shard holds fsync'd. */
  public long durableLsn(long shardId) {
    return store.shard(shardId).durableLsn();
  }

  /**
   * The highest LSN of a shard readers of this node may see: committed (as far as this copy knows:
   * a follower learns it from the leader's next message) and durable here. Every entry up to it was
   * acknowledged.
   */
  public long visibleLsn(long shardId) {
    return store.shard(shardId).visibleLsn();
  }

  /**
   * Up to {@code max} entries of this node's copy from {@code fromLsn} up to {@link #visibleLsn}:
   * acknowledged entries only.
   */
  public List<LoggedEntry> readVisible(long shardId, long fromLsn, int max) {
    ReplicaShard shard = store.shard(shardId);
    return shard.read(fromLsn, shard.visibleLsn(), max);
  }

  /**
   * Completes once {@link #visibleLsn} exceeds {@code lsn}; fails with {@link ReplicationException}
   * when the node closes.
   */
  public CompletableFuture<Void> awaitVisibleBeyond(long shardId, long lsn) {
    return store.shard(shardId).awaitVisibleBeyond(lsn);
  }

  /**
   * The committed LSN of a shard as its leader knows it now (a read index): every entry
   * acknowledged before this call is at or below it. Asks {@code leader} (this node's own leader
   * when it is this node) over the replication service.
   *
   * @throws ReplicationException when {@code leader} does not lead the shard now (it was replaced,
   *     or is still recovering it) or cannot be reached within {@code timeoutMs}
   */
  public long leaderCommitted(long shardId, Replica leader, long timeoutMs) {
    if (leader.id().equals(id)) {
      return leaders
          .serving(shardId)
          .map(ShardLeader::committedLsn)
          .orElseThrow(() -> notLeading(shardId, leader));
    }
    CommittedResponse response;
    try {
      response =
          blockingStub(leader)
              .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
              .committed(CommittedRequest.newBuilder().setShardId(shardId).build());
    } catch (StatusRuntimeException e) {
      throw new ReplicationException(
          "shard "
              + Long.toUnsignedString(shardId)
              + ": cannot ask its leader "
              + leader
              + " where it ends: "
              + e.getStatus(),
          e);
    }
    if (!response.getLeading()) {
      throw notLeading(shardId, leader);
    }
    return response.getCommittedLsn();
  }

  private static ReplicationException notLeading(long shardId, Replica leader) {
    return new ReplicationException(
        "shard "
            + Long.toUnsignedString(shardId)
            + ": node "
            + leader.id()
            + " does not lead it now (a new leader is being chosen or recovering it)");
  }

  /**
   * The LSN of the first entry of this node's copy, up to {@link #visibleLsn}, appended at or after
   * {@code timestampMs}; {@code visibleLsn + 1} when there is none. Scans from the oldest kept
   * entry.
   */
  public long lsnAtOrAfter(long shardId, long timestampMs) {
    ReplicaShard shard = store.shard(shardId);
    long next = store.log().firstLsn(shardId);
    while (true) {
      long visible = shard.visibleLsn();
      List<LoggedEntry> chunk = shard.read(next, visible, SCAN_CHUNK);
      if (chunk.isEmpty()) {
        return visible + 1;
      }
      for (LoggedEntry e : chunk) {
        if (e.entry().appendTimeMs() >= timestampMs) {
          return e.lsn();
        }
      }
      next = chunk.get(chunk.size() - 1).lsn() + 1;
    }
  }

  /** The LSN of the oldest entry this node's copy keeps (1 until a trim). */
  public long firstLsn(long shardId) {
    store.shard(shardId);
    return store.log().firstLsn(shardId);
  }

  /**
   * Deletes this node's entries of a shard below {@code lsn}, whole segments only and never beyond
   * the committed LSN this copy knows (entries a new leader might still cut stay); durable when it
   * returns. Other replicas keep theirs.
   */
  public void trimBefore(long shardId, long lsn) {
    ReplicaShard shard = store.shard(shardId);
    store.log().trimBefore(shardId, Math.min(lsn, shard.visibleLsn() + 1));
  }

  /** The shards this node holds a copy of (deleted ones excluded). */
  public Set<Long> heldShards() {
    return store.shardIds();
  }

  /**
   * Deletes this node's copy of a shard for good (its stream was deleted): closes this node's
   * leader of it, then removes its entries and state file, leaving a marker so that the copy
   * refuses every later entry and seal (a leader still streaming to it is fenced). Durable when it
   * returns.
   *
   * @throws ReplicationException when the files cannot be removed
   */
  public void deleteShard(long shardId) {
    leaders.close(shardId);
    try {
      store.delete(shardId);
    } catch (IOException | RuntimeException e) {
      throw new ReplicationException(
          "cannot delete shard " + Long.toUnsignedString(shardId) + "'s replica: " + e, e);
    }
  }

  /**
   * Deletes this node's copy of a shard whose replica set no longer has this node (it was replaced
   * or moved away, and the change is finished), when the copy is still sealed at {@code
   * sealedEpoch}: read it with {@link #sealedEpoch} <b>before</b> confirming, with a linearizable
   * read of the catalog, that this node is in neither the shard's replica set nor its previous one.
   * A leader that counts anything on this copy seals it at a later epoch first, so a copy placed
   * here again after that read is kept. Unlike {@link #deleteShard}, the shard may come here again
   * later, as an empty copy that catches up. Nothing is deleted while this node runs a leader of
   * the shard.
   *
   * @return true when the copy was deleted
   */
  public boolean forgetShard(long shardId, long sealedEpoch) {
    if (leaders.leads(shardId)) {
      return false;
    }
    return store.forget(shardId, sealedEpoch);
  }

  /** The epoch this node's copy of a shard is sealed at (0 before any leader). */
  public long sealedEpoch(long shardId) {
    return store.shard(shardId).sealedEpoch();
  }

  ShardReplicationGrpc.ShardReplicationStub stub(Replica replica) {
    return ShardReplicationGrpc.newStub(channel(replica));
  }

  ShardReplicationGrpc.ShardReplicationBlockingStub blockingStub(Replica replica) {
    return ShardReplicationGrpc.newBlockingStub(channel(replica));
  }

  /** Makes the channel to {@code replica} try to connect at once on its next call. */
  Runnable reconnector(Replica replica) {
    return () -> channel(replica).resetConnectBackoff();
  }

  private ManagedChannel channel(Replica replica) {
    return channels.computeIfAbsent(
        replica.host() + ":" + replica.port(),
        key -> {
          NettyChannelBuilder builder =
              NettyChannelBuilder.forAddress(replica.host(), replica.port())
                  .maxInboundMessageSize(MAX_MESSAGE_BYTES);
          if (tls.isPresent()) {
            builder.sslContext(tls.get().grpcClientContext());
          } else {
            builder.usePlaintext();
          }
          return builder.build();
        });
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService completions() {
    return completions;
  }

  ExecutorService blockingCalls() {
    return blockingCalls;
  }

  /**
   * Stops the leaders (failing their waiting appends), the service and the connections, then closes
   * the replica store. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reopener.close();
    leaders.closeAll();
    server.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdownNow);
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
      for (ManagedChannel channel : channels.values()) {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    blockingCalls.shutdownNow();
    try {
      store.close();
    } catch (UncheckedIOException e) {
      // the log is closed; a state not saved only means a longer recovery
    }
    completions.shutdown();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public String toString() {
    return "ReplicationNode " + id + " (" + self + ")";
  }
}
