package io.inlet.cluster.replication;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.cluster.replication.proto.AppendRequest;
import io.inlet.cluster.replication.proto.AppendResponse;
import io.inlet.cluster.replication.proto.ShardReplicationGrpc;
import io.inlet.store.segment.SegmentEntry;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's stream of its log to one follower, pipelined: up to {@link #MAX_IN_FLIGHT} requests of
 * up to {@link #MAX_BATCH_ENTRIES} entries are out at once, each acknowledged when durable on the
 * follower. Every stream opens with a probe at the leader's tail; a follower that answers MISMATCH
 * (behind, restarted, or holding entries of an older epoch) gets a new stream from the point where
 * both logs agree, read from the leader's log; when the leader trimmed the entries from there, the
 * follower is told to start its log again at the leader's first entry. A broken stream is reopened
 * after {@link #RETRY_MS}.
 */
final class FollowerLink {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerLink.class);
  static final int MAX_IN_FLIGHT = 8;
  static final int MAX_BATCH_ENTRIES = 1000;
  static final long MAX_BATCH_BYTES = 1 << 20;
  static final long RETRY_MS = 200;

  private final ShardLeader leader;
  private final Replica follower;
  private final int index;
  private final ShardReplicationGrpc.ShardReplicationStub stub;
  private final ScheduledExecutorService scheduler;
  private final Runnable reconnectNow;

  // guarded by this
  private ClientCallStreamObserver<AppendRequest> call;
  private int generation;
  private long nextLsn;
  private int inFlight;
  private long sentCommitted;
  private boolean closed;

  FollowerLink(
      ShardLeader leader,
      Replica follower,
      int index,
      ShardReplicationGrpc.ShardReplicationStub stub,
      Runnable reconnectNow,
      ScheduledExecutorService scheduler) {
    this.leader = leader;
    this.follower = follower;
    this.index = index;
    this.stub = stub;
    this.reconnectNow = reconnectNow;
    this.scheduler = scheduler;
  }

  /** Opens the stream with a probe at the leader's current tail. */
  synchronized void start() {
    openFrom(leader.tailLsn() + 1);
  }

  /** Sends what the leader appended since, within the in-flight limit. */
  synchronized void drain() {
    if (call == null || closed) {
      return;
    }
    while (inFlight < MAX_IN_FLIGHT && nextLsn <= leader.tailLsn()) {
      if (!sendBatch()) {
        return;
      }
    }
  }

  /**
   * Tells the follower the leader's committed LSN moved: rides on the entries still to send, or an
   * empty request when there are none. Skipped when the follower was sent it already, and while a
   * request is out: its answer tells it then ({@link #onResponse}), so that under load the
   * committed LSN rides on the entries instead of costing the follower a request of its own.
   */
  synchronized void commitMoved() {
    if (call == null || closed || inFlight > 0 || leader.committedLsn() <= sentCommitted) {
      return;
    }
    if (nextLsn <= leader.tailLsn()) {
      drain();
    } else {
      sendBatch();
    }
  }

  synchronized void close() {
    closed = true;
    cancel("the leader stopped");
  }

  private void openFrom(long lsn) {
    cancel("resending from LSN " + lsn);
    int myGeneration = ++generation;
    nextLsn = lsn;
    inFlight = 0;
    @SuppressWarnings("unchecked")
    ClientCallStreamObserver<AppendRequest> opened =
        (ClientCallStreamObserver<AppendRequest>) stub.append(new Responses(myGeneration));
    call = opened;
    sendBatch();
    drain();
  }

  /** Sends the entries from {@code nextLsn} (none for a probe); false when nothing was sent. */
  private boolean sendBatch() {
    long first = leader.firstLsn();
    long restartAt = 0;
    if (nextLsn < first) {
      // The follower needs entries this leader trimmed: it starts again at the leader's first.
      restartAt = first;
      nextLsn = first;
    }
    List<SegmentEntry> entries = leader.entriesFrom(nextLsn, MAX_BATCH_ENTRIES, MAX_BATCH_BYTES);
    long prev = nextLsn - 1;
    sentCommitted = leader.committedLsn();
    AppendRequest.Builder request =
        AppendRequest.newBuilder()
            .setShardId(leader.shardId())
            .setEpoch(leader.epoch())
            .setPrevLsn(prev)
            .setPrevEpoch(leader.epochAt(prev))
            .setCommittedLsn(sentCommitted)
            .setEpochFirstLsn(leader.epochFirstLsn())
            .setRestartAtLsn(restartAt);
    long lsn = nextLsn;
    for (SegmentEntry entry : entries) {
      request.addEntries(EntryCodec.toWire(lsn++, entry));
    }
    try {
      call.onNext(request.build());
    } catch (RuntimeException e) {
      LOG.debug("Shard {}: cannot send to {}: {}", leader.shardId(), follower, e.toString());
      return false;
    }
    nextLsn = lsn;
    inFlight++;
    return !entries.isEmpty();
  }

  private void cancel(String why) {
    if (call != null) {
      call.cancel(why, null);
      call = null;
    }
  }

  private synchronized void onResponse(int fromGeneration, AppendResponse response) {
    switch (response.getStatus()) {
      case OK -> {
        leader.followerDurable(index, response.getAckedLsn());
        if (fromGeneration == generation) {
          inFlight--;
          drain();
          if (leader.committedLsn() > sentCommitted) {
            commitMoved();
          }
        }
      }
      case MISMATCH -> {
        if (fromGeneration == generation && !closed) {
          long agreed =
              EpochTable.divergence(
                  leader.epochs(),
                  leader.tailLsn(),
                  EpochTable.of(response.getEpochsList()),
                  response.getTailLsn());
          openFrom(agreed + 1);
        }
      }
      case STALE_EPOCH -> leader.fenced(response.getSealedEpoch());
      default -> {
        if (fromGeneration == generation) {
          LOG.warn(
              "Shard {}: follower {} failed: {}",
              leader.shardId(),
              follower,
              response.getMessage());
          retryLater();
        }
      }
    }
  }

  Replica follower() {
    return follower;
  }

  private synchronized void onBroken(int fromGeneration, Throwable error) {
    if (fromGeneration == generation && !closed) {
      LOG.debug("Shard {}: stream to {} broke: {}", leader.shardId(), follower, error);
      retryLater();
    }
  }

  private void retryLater() {
    cancel("retrying");
    reconnectNow.run();
    int scheduledFor = ++generation;
    scheduler.schedule(
        () -> {
          synchronized (this) {
            if (!closed && generation == scheduledFor) {
              openFrom(leader.tailLsn() + 1);
            }
          }
        },
        RETRY_MS,
        TimeUnit.MILLISECONDS);
  }

  /** The answers of one stream (one generation). */
  private final class Responses implements StreamObserver<AppendResponse> {
    private final int myGeneration;

    Responses(int myGeneration) {
      this.myGeneration = myGeneration;
    }

    @Override
    public void onNext(AppendResponse response) {
      onResponse(myGeneration, response);
    }

    @Override
    public void onError(Throwable t) {
      onBroken(myGeneration, t);
    }

    @Override
    public void onCompleted() {
      onBroken(myGeneration, new IllegalStateException("the follower ended the stream"));
    }
  }
}
