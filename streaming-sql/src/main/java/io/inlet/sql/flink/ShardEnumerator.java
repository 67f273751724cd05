package io.inlet.sql.flink;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.Shard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Lists the stream's shards once (an Inlet stream keeps the shards it was created with) and hands
 * them to the readers round-robin. Its checkpoint holds the shards not yet handed out; handed-out
 * shards live in the readers' checkpoints.
 */
final class ShardEnumerator implements SplitEnumerator<ShardSplit, ShardEnumerator.State> {
  private final SplitEnumeratorContext<ShardSplit> context;
  private final String target;
  private final String stream;
  private final boolean startLatest;
  private final List<ShardSplit> pending;
  private boolean discovered;

  ShardEnumerator(
      SplitEnumeratorContext<ShardSplit> context,
      String target,
      String stream,
      boolean startLatest,
      State restored) {
    this.context = context;
    this.target = target;
    this.stream = stream;
    this.startLatest = startLatest;
    this.pending = new ArrayList<>(restored == null ? List.of() : restored.pending());
    this.discovered = restored != null && restored.discovered();
  }

  /** The shards not yet assigned, and whether the shards were listed at all. */
  record State(List<ShardSplit> pending, boolean discovered) {}

  @Override
  public void start() {
    if (!discovered) {
      context.callAsync(this::listShards, this::onShards);
    }
  }

  private List<ShardSplit> listShards() {
    ManagedChannel channel = InletChannels.open(target);
    try {
      List<ShardSplit> out = new ArrayList<>();
      for (Shard shard :
          HStreamApiGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
              .getShardsList()) {
        out.add(new ShardSplit(stream, shard.getShardId(), -1, 0, startLatest));
      }
      return out;
    } finally {
      channel.shutdownNow();
    }
  }

  private void onShards(List<ShardSplit> shards, Throwable error) {
    if (error != null) {
      throw new IllegalStateException(
          "cannot list the shards of stream \"" + stream + "\": " + error.getMessage(), error);
    }
    discovered = true;
    pending.addAll(shards);
    assignPending();
  }

  private void assignPending() {
    int readers = context.currentParallelism();
    if (context.registeredReaders().size() < readers) {
      return; // wait until every reader is there, so shards spread evenly
    }
    for (ShardSplit split : pending) {
      int owner = (int) Long.remainderUnsigned(split.shardId(), readers);
      context.assignSplit(split, owner);
    }
    pending.clear();
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {}

  @Override
  public void addSplitsBack(List<ShardSplit> splits, int subtaskId) {
    pending.addAll(splits);
    assignPending();
  }

  @Override
  public void addReader(int subtaskId) {
    if (discovered) {
      assignPending();
    }
  }

  @Override
  public State snapshotState(long checkpointId) {
    return new State(List.copyOf(pending), discovered);
  }

  @Override
  public void close() {}

  /** Version 1: discovered flag, then the pending splits. */
  static final class StateSerializer implements SimpleVersionedSerializer<State> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(State state) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeBoolean(state.discovered());
        out.writeInt(state.pending().size());
        for (ShardSplit split : state.pending()) {
          ShardSplit.Serializer.write(out, split);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public State deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown enumerator state version " + version);
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
      boolean discovered = in.readBoolean();
      int n = in.readInt();
      List<ShardSplit> pending = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pending.add(ShardSplit.Serializer.read(in));
      }
      return new State(pending, discovered);
    }
  }
}
