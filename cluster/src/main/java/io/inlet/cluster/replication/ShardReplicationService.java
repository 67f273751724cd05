package io.inlet.cluster.replication;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.cluster.replication.proto.AppendRequest;
import io.inlet.cluster.replication.proto.AppendResponse;
import io.inlet.cluster.replication.proto.CommittedRequest;
import io.inlet.cluster.replication.proto.CommittedResponse;
import io.inlet.cluster.replication.proto.ReadRequest;
import io.inlet.cluster.replication.proto.ReadResponse;
import io.inlet.cluster.replication.proto.SealRequest;
import io.inlet.cluster.replication.proto.SealResponse;
import io.inlet.cluster.replication.proto.ShardReplicationGrpc;
import io.inlet.store.segment.LoggedEntry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of shard replication, served by every node: seals, reads for a recovering
 * leader, and the leaders' append streams, each applied to the node's {@link ReplicaStore}; and the
 * committed LSN of the shards this node leads, for a follower asked where a shard ends.
 */
final class ShardReplicationService extends ShardReplicationGrpc.ShardReplicationImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(ShardReplicationService.class);
  private static final int MAX_READ_ENTRIES = 4096;

  private final ReplicaStore store;
  private final RunningLeaders leaders;

  ShardReplicationService(ReplicaStore store, RunningLeaders leaders) {
    this.store = store;
    this.leaders = leaders;
  }

  @Override
  public void committed(CommittedRequest request, StreamObserver<CommittedResponse> response) {
    CommittedResponse.Builder answer = CommittedResponse.newBuilder();
    leaders
        .serving(request.getShardId())
        .ifPresent(
            leader ->
                answer
                    .setLeading(true)
                    .setCommittedLsn(leader.committedLsn())
                    .setEpoch(leader.epoch()));
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void seal(SealRequest request, StreamObserver<SealResponse> response) {
    if (store.isDeleted(request.getShardId())) {
      response.onNext(
          SealResponse.newBuilder()
              .setSealed(false)
              .setSealedEpoch(ReplicaShard.DELETED_EPOCH)
              .build());
      response.onCompleted();
      return;
    }
    store
        .shard(request.getShardId())
        .seal(request.getEpoch())
        .whenComplete(
            (outcome, error) -> {
              if (error != null) {
                response.onError(
                    Status.INTERNAL.withDescription("cannot seal: " + error).asRuntimeException());
                return;
              }
              response.onNext(
                  SealResponse.newBuilder()
                      .setSealed(outcome.sealed())
                      .setSealedEpoch(outcome.sealedEpoch())
                      .setTailLsn(outcome.tailLsn())
                      .setCommittedLsn(outcome.committedLsn())
                      .addAllEpochs(outcome.epochs())
                      .build());
              response.onCompleted();
            });
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
    int max = Math.min(Math.max(request.getMaxEntries(), 1), MAX_READ_ENTRIES);
    long to = request.getToLsn() == 0 ? Long.MAX_VALUE : request.getToLsn();
    try {
      List<LoggedEntry> entries =
          store.shard(request.getShardId()).read(request.getFromLsn(), to, max);
      ReadResponse.Builder out = ReadResponse.newBuilder();
      for (LoggedEntry e : entries) {
        out.addEntries(EntryCodec.toWire(e.lsn(), e.entry()));
      }
      response.onNext(out.build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(Status.INTERNAL.withDescription("cannot read: " + e).asRuntimeException());
    }
  }

  @Override
  public StreamObserver<AppendRequest> append(StreamObserver<AppendResponse> responses) {
    return new FollowerStream(store, responses);
  }

  /** One leader's append stream to this node; answers go out in the order requests came. */
  private static final class FollowerStream implements StreamObserver<AppendRequest> {
    private final ReplicaStore store;
    private final StreamObserver<AppendResponse> responses;
    private boolean done; // guarded by responses

    FollowerStream(ReplicaStore store, StreamObserver<AppendResponse> responses) {
      this.store = store;
      this.responses = responses;
    }

    @Override
    public void onNext(AppendRequest request) {
      AppendOutcome outcome;
      try {
        outcome =
            store.isDeleted(request.getShardId())
                ? new AppendOutcome.StaleEpoch(ReplicaShard.DELETED_EPOCH)
                : store.shard(request.getShardId()).accept(EntryCodec.fromWire(request));
      } catch (IllegalArgumentException e) {
        fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        return;
      } catch (Exception e) {
        LOG.warn("Shard {}: cannot take entries: {}", request.getShardId(), e.toString());
        send(failed(e));
        return;
      }
      if (outcome instanceof AppendOutcome.Accepted accepted) {
        accepted
            .durable()
            .whenComplete(
                (ignored, error) ->
                    send(
                        error == null
                            ? AppendResponse.newBuilder()
                                .setStatus(AppendResponse.Status.OK)
                                .setAckedLsn(accepted.ackedLsn())
                                .build()
                            : failed(error)));
      } else if (outcome instanceof AppendOutcome.StaleEpoch stale) {
        send(
            AppendResponse.newBuilder()
                .setStatus(AppendResponse.Status.STALE_EPOCH)
                .setSealedEpoch(stale.sealedEpoch())
                .build());
      } else if (outcome instanceof AppendOutcome.Mismatch mismatch) {
        send(
            AppendResponse.newBuilder()
                .setStatus(AppendResponse.Status.MISMATCH)
                .setTailLsn(mismatch.tailLsn())
                .addAllEpochs(mismatch.epochs())
                .build());
      }
    }

    private static AppendResponse failed(Throwable error) {
      return AppendResponse.newBuilder()
          .setStatus(AppendResponse.Status.FAILED)
          .setMessage(String.valueOf(error))
          .build();
    }

    private void send(AppendResponse response) {
      synchronized (responses) {
        if (!done) {
          try {
            responses.onNext(response);
          } catch (RuntimeException e) {
            done = true; // the leader went away
          }
        }
      }
    }

    private void fail(Status status) {
      synchronized (responses) {
        if (!done) {
          done = true;
          responses.onError(status.asRuntimeException());
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (responses) {
        done = true;
      }
    }

    @Override
    public void onCompleted() {
      synchronized (responses) {
        if (!done) {
          done = true;
          responses.onCompleted();
        }
      }
    }
  }
}
