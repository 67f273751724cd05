package io.inlet.cluster.metadata;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Ratis' view of the {@link MetadataSpace}: applies committed writes in log order, answers queries
 * after Raft's read index, takes snapshots when Ratis asks and loads them at start and after a
 * snapshot was installed from the leader. A command this node cannot read is rejected the same way
 * on every voter, without changing the space.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final MetadataSpace space;
  private final Consumer<List<MetadataChange>> changes;

  /** Held while the space and the last applied index change together, so snapshots match both. */
  private final Object applyLock = new Object();

  /**
   * @param space what the machine starts from: empty, or (when a voter's Raft server is restarted)
   *     a copy of what it held, so that the changes a snapshot load reports are those since then
   */
  MetadataStateMachine(Consumer<List<MetadataChange>> changes, MetadataSpace space) {
    this.changes = changes;
    this.space = space;
  }

  MetadataSpace space() {
    return space;
  }

  /** The index of the last entry applied (or loaded from a snapshot); -1 before any. */
  long lastAppliedIndex() {
    TermIndex last = getLastAppliedTermIndex();
    return last == null ? -1 : last.getIndex();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    load(storage.getLatestSnapshot());
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Ratis pauses the machine before it installs a snapshot from the leader in its directory. */
  @Override
  public void pause() {
    if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Loads the snapshot Ratis has just installed, replacing the whole space. */
  @Override
  public void reinitialize() throws IOException {
    getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING);
    load(storage.loadLatestSnapshot());
    getLifeCycle().compareAndTransition(LifeCycle.State.STARTING, LifeCycle.State.RUNNING);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    MetadataSnapshotFile.Contents contents =
        MetadataSnapshotFile.read(snapshot.getFile().getPath());
    List<MetadataChange> changed;
    synchronized (applyLock) {
      changed = space.replaceWith(contents.space(), contents.index());
      updateLastAppliedTermIndex(TermIndex.valueOf(contents.term(), contents.index()));
    }
    if (!changed.isEmpty()) {
      changes.accept(changed);
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    byte[] command = entry.getStateMachineLogEntry().getLogData().toByteArray();
    WriteOutcome outcome;
    MetadataChange change = null;
    synchronized (applyLock) {
      try {
        MetadataSpace.Result result =
            space.apply(MetadataCodec.decodeWrite(command), entry.getIndex());
        outcome = result.outcome();
        change = result.change();
      } catch (MetadataFormatException e) {
        outcome = new WriteOutcome.Rejected(e.getMessage());
      }
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    if (change != null && !(change.puts().isEmpty() && change.deletes().isEmpty())) {
      changes.accept(List.of(change));
    }
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(MetadataCodec.encodeOutcome(outcome))));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      MetadataQuery query = MetadataCodec.decodeQuery(request.getContent().toByteArray());
      var entries =
          query.isList()
              ? space.list(query.namespace())
              : space
                  .get(query.namespace(), query.key())
                  .map(e -> MetadataSpace.singleton(query.key(), e))
                  .orElseGet(MetadataSpace::emptyEntries);
      return CompletableFuture.completedFuture(
          Message.valueOf(ByteString.copyFrom(MetadataCodec.encodeEntries(entries))));
    } catch (MetadataFormatException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last;
    MetadataSnapshotFile.Contents contents;
    synchronized (applyLock) {
      last = getLastAppliedTermIndex();
      if (last == null || last.getIndex() < 0) {
        return RaftLog.INVALID_LOG_INDEX;
      }
      contents = new MetadataSnapshotFile.Contents(last.getTerm(), last.getIndex(), space.copy());
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    MetadataSnapshotFile.write(file.toPath(), contents);
    MD5Hash digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(file.toPath(), digest), last));
    return last.getIndex();
  }
}
