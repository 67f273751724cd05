package io.inlet.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.cluster.AwaitBeyondRequest;
import io.inlet.api.cluster.AwaitBeyondResponse;
import io.inlet.api.cluster.LsnAtOrAfterRequest;
import io.inlet.api.cluster.ReadEntriesRequest;
import io.inlet.api.cluster.ShardPositionRequest;
import io.inlet.api.cluster.ShardPositionResponse;
import io.inlet.api.cluster.ShardReadsGrpc;
import io.inlet.api.cluster.StoredShardEntry;
import io.inlet.api.cluster.TrimBeforeRequest;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ServerNode;
import io.inlet.store.Entry;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads of a shard another node holds, from that node ({@link ShardReadsService} there), so that
 * readers, streaming reads and subscriptions on any node see every shard of a stream. A shard the
 * holder no longer has is {@link StoreException} SHARD_NOT_FOUND; a holder that is down or cannot
 * be reached is {@link StoreUnavailableException} naming it. A wait for new entries ({@link
 * #awaitBeyond}) is held by the holder for up to {@value #WAIT_MS} ms and then simply answered, so
 * the caller reads again; when the holder cannot be reached it answers after {@value #RETRY_MS} ms,
 * and the read that follows reports the failure.
 */
final class RemoteShardReads {
  static final int WAIT_MS = 20_000;
  static final int RETRY_MS = 1_000;
  private static final long CALL_DEADLINE_SECONDS = 30;

  private final OwnerChannels channels;

  RemoteShardReads(OwnerChannels channels) {
    this.channels = channels;
  }

  List<StoredEntry> read(ServerNode holder, long shardId, long fromLsn, int maxEntries) {
    try {
      List<StoredShardEntry> entries =
          blocking(holder)
              .read(
                  ReadEntriesRequest.newBuilder()
                      .setShardId(shardId)
                      .setFromLsn(fromLsn)
                      .setMaxEntries(Math.max(0, maxEntries))
                      .build())
              .getEntriesList();
      List<StoredEntry> stored = new ArrayList<>(entries.size());
      for (StoredShardEntry e : entries) {
        stored.add(
            new StoredEntry(
                shardId,
                e.getLsn(),
                e.getAppendTimeMs(),
                new Entry(e.getRecordCount(), e.getFormat(), e.getPayload())));
      }
      return stored;
    } catch (StatusRuntimeException e) {
      throw failed(holder, shardId, "read", e);
    }
  }

  ShardPosition position(ServerNode holder, long shardId) {
    try {
      ShardPositionResponse position =
          blocking(holder).position(ShardPositionRequest.newBuilder().setShardId(shardId).build());
      return new ShardPosition(position.getFirstLsn(), position.getLastLsn());
    } catch (StatusRuntimeException e) {
      throw failed(holder, shardId, "read the position of", e);
    }
  }

  long lsnAtOrAfter(ServerNode holder, long shardId, long timestampMs) {
    try {
      return blocking(holder)
          .lsnAtOrAfter(
              LsnAtOrAfterRequest.newBuilder()
                  .setShardId(shardId)
                  .setTimestampMs(timestampMs)
                  .build())
          .getLsn();
    } catch (StatusRuntimeException e) {
      throw failed(holder, shardId, "read", e);
    }
  }

  void trimBefore(ServerNode holder, long shardId, long lsn) {
    try {
      blocking(holder)
          .trimBefore(TrimBeforeRequest.newBuilder().setShardId(shardId).setLsn(lsn).build());
    } catch (StatusRuntimeException e) {
      throw failed(holder, shardId, "trim", e);
    }
  }

  /** Completes when the holder has an entry past {@code lsn}, or after a while in any case. */
  CompletableFuture<Void> awaitBeyond(ServerNode holder, long shardId, long lsn) {
    CompletableFuture<Void> woken = new CompletableFuture<>();
    Futures.addCallback(
        ShardReadsGrpc.newFutureStub(channels.to(holder))
            .withDeadlineAfter(WAIT_MS + 10_000L, TimeUnit.MILLISECONDS)
            .awaitBeyond(
                AwaitBeyondRequest.newBuilder()
                    .setShardId(shardId)
                    .setLsn(lsn)
                    .setMaxWaitMs(WAIT_MS)
                    .build()),
        new FutureCallback<AwaitBeyondResponse>() {
          @Override
          public void onSuccess(AwaitBeyondResponse response) {
            woken.complete(null);
          }

          @Override
          public void onFailure(Throwable failure) {
            CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS)
                .execute(() -> woken.complete(null));
          }
        },
        MoreExecutors.directExecutor());
    return woken;
  }

  private ShardReadsGrpc.ShardReadsBlockingStub blocking(ServerNode holder) {
    return ShardReadsGrpc.newBlockingStub(channels.to(holder))
        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static RuntimeException failed(
      ServerNode holder, long shardId, String what, StatusRuntimeException e) {
    if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
      return StoreException.shardNotFound(shardId);
    }
    return new StoreUnavailableException(
        "shard "
            + shardId
            + " is held by node "
            + holder.getId()
            + " ("
            + holder.getHost()
            + ":"
            + Integer.toUnsignedString(holder.getPort())
            + "); could not "
            + what
            + " it there: "
            + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()),
        e);
  }
}
