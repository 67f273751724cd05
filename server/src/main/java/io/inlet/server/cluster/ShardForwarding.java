package io.inlet.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ServerNode;
import io.inlet.server.LocalStreamAppender;
import io.inlet.server.grpc.StoreErrorMapping;
import io.inlet.store.StoreException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Appends through any node: a batch for a shard this node serves (owns, or leads when the shard is
 * replicated) goes to the local store; one for a shard another node serves is sent there with
 * HStreamDB's own Append and answered with that node's reply (its record ids, or its error as it
 * gave it). That node checks the batch. A shard whose owner is not running fails with {@link
 * StoreUnavailableException} (gRPC UNAVAILABLE) naming the owner: with replication factor 1 its
 * records are on that node only; a replicated shard without a running leader fails the same way,
 * saying a new leader is being chosen.
 */
public final class ShardForwarding implements StreamAppender {
  private static final long FORWARD_DEADLINE_SECONDS = 60;

  private final LocalStreamAppender local;
  private final StreamDirectory directory;
  private final ShardOwners owners;
  private final OwnerChannels channels;

  ShardForwarding(
      LocalStreamAppender local,
      StreamDirectory directory,
      ShardOwners owners,
      OwnerChannels channels) {
    this.local = local;
    this.directory = directory;
    this.owners = owners;
    this.channels = channels;
  }

  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    return appendThere(streamName, shardId, batch, local::append);
  }

  /** As {@link LocalStreamAppender#appendClientBatch} for a shard of this node, else forwarded. */
  public CompletableFuture<AppendResult> appendClientBatch(
      String streamName, long shardId, BatchedRecord batch) {
    return appendThere(streamName, shardId, batch, local::appendClientBatch);
  }

  /**
   * Appends to the shard of {@code streamName} that owns {@code partitionKey}, looking the stream
   * up without blocking the caller (an MQTT event loop, say): when this node must read the catalog
   * from the metadata group, the append continues on the metadata client's thread once it answers.
   */
  @Override
  public CompletableFuture<AppendResult> appendByKey(
      String streamName, String partitionKey, BatchedRecord batch) {
    return directory
        .lookup(streamName)
        .thenCompose(
            stream -> {
              if (stream.isEmpty()) {
                return CompletableFuture.failedFuture(
                    StoreErrorMapping.toInlet(StoreException.streamNotFound(streamName)));
              }
              long shardId = stream.get().shardForKey(partitionKey).shardId();
              return appendTo(stream, streamName, shardId, batch, local::append);
            });
  }

  /** Hands {@code batch} to {@code localAppend} when this node owns the shard, else forwards it. */
  private CompletableFuture<AppendResult> appendThere(
      String streamName, long shardId, BatchedRecord batch, LocalAppend localAppend) {
    return directory
        .lookup(streamName)
        .thenCompose(stream -> appendTo(stream, streamName, shardId, batch, localAppend));
  }

  private CompletableFuture<AppendResult> appendTo(
      Optional<PlacedStream> stream,
      String streamName,
      long shardId,
      BatchedRecord batch,
      LocalAppend localAppend) {
    Optional<ServerNode> owner;
    try {
      owner = remoteServer(stream, shardId);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return owner.isEmpty()
        ? localAppend.append(streamName, shardId, batch)
        : forward(owner.get(), streamName, shardId, batch);
  }

  @FunctionalInterface
  private interface LocalAppend {
    CompletableFuture<AppendResult> append(String streamName, long shardId, BatchedRecord batch);
  }

  @Override
  public long shardForKey(String streamName, String partitionKey) {
    return local.shardForKey(streamName, partitionKey);
  }

  /**
   * The node serving the shard when it is another one; empty for this node and for a stream or
   * shard the catalog does not have (the local path reports those as a single node does).
   */
  private Optional<ServerNode> remoteServer(Optional<PlacedStream> stream, long shardId) {
    if (stream.isEmpty() || stream.get().ownerOf(shardId) < 0) {
      return Optional.empty();
    }
    int serving = owners.servingNode(stream.get(), shardId);
    if (serving == owners.selfId()) {
      return Optional.empty();
    }
    return Optional.of(owners.servingServer(stream.get(), shardId, serving));
  }

  private CompletableFuture<AppendResult> forward(
      ServerNode owner, String streamName, long shardId, BatchedRecord batch) {
    CompletableFuture<AppendResult> result = new CompletableFuture<>();
    AppendRequest request =
        AppendRequest.newBuilder()
            .setStreamName(streamName)
            .setShardId(shardId)
            .setRecords(batch)
            .build();
    Futures.addCallback(
        HStreamApiGrpc.newFutureStub(channels.to(owner))
            .withDeadlineAfter(FORWARD_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .append(request),
        new FutureCallback<>() {
          @Override
          public void onSuccess(AppendResponse response) {
            long lsn =
                response.getRecordIdsCount() == 0 ? 0 : response.getRecordIds(0).getBatchId();
            result.complete(
                new AppendResult(streamName, shardId, lsn, response.getRecordIdsCount()));
          }

          @Override
          public void onFailure(Throwable failure) {
            result.completeExceptionally(unreachable(owner, streamName, shardId, failure));
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  /** The owner's own error as it gave it; a failure to reach it as UNAVAILABLE naming it. */
  private static Throwable unreachable(
      ServerNode owner, String streamName, long shardId, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    boolean reached =
        failure instanceof StatusRuntimeException
            && status.getCode() != Status.Code.UNAVAILABLE
            && status.getCode() != Status.Code.DEADLINE_EXCEEDED;
    if (reached) {
      return failure;
    }
    return new StoreUnavailableException(
        "shard "
            + shardId
            + " of stream \""
            + streamName
            + "\" is held by node "
            + owner.getId()
            + " ("
            + owner.getHost()
            + ":"
            + Integer.toUnsignedString(owner.getPort())
            + "), which did not take the forwarded append: "
            + status.getCode()
            + (status.getDescription() == null ? "" : " " + status.getDescription())
            + "; a shard with replication factor 1 is unavailable while the node that holds it is"
            + " down, a replicated one until a new leader is chosen",
        failure);
  }
}
