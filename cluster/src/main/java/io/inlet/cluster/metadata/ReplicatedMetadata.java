package io.inlet.cluster.metadata;

import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's replicated metadata: a versioned key-value space in namespaces, kept by a Raft
 * group (Apache Ratis) of the voters listed in {@link MetadataSettings#peers()}.
 *
 * <p><b>Writes</b> ({@link #write}) may be sent from any node; the Raft client finds the leader and
 * retries there. The future completes with the write's log index (the new version of every key it
 * set) only once the entry is committed: in the fsync'd Raft logs of a majority of the voters, and
 * applied. It fails with {@link VersionConflictException} when an expected version did not hold
 * (nothing applied), with {@link MetadataUnavailableException} when no leader backed by a majority
 * answered within the request timeout (not acknowledged; it may still commit later), and with
 * {@link MetadataException} once this instance is closed, and with {@link IllegalArgumentException}
 * when it is larger than {@link #MAX_WRITE_BYTES} encoded (metadata is small: about 4 MiB).
 *
 * <p><b>Reads</b> are {@link ReadMode#LINEARIZABLE} (Raft ReadIndex, answered by this node's own
 * replica when it is a voter) or {@link ReadMode#LOCAL} (this voter's replica as it is).
 *
 * <p><b>Listeners</b> ({@link #addListener}) hear every change a voter applies, including those of
 * a snapshot installed from the leader; a client node (not a voter) has no replica and no changes
 * to report.
 */
public final class ReplicatedMetadata implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedMetadata.class);

  /** Largest encoded write: Ratis' log appender carries entries of at most 4 MiB. */
  public static final int MAX_WRITE_BYTES = (4 << 20) - (64 << 10);

  private final MetadataSettings settings;
  private final MetadataVoter voter; // null on a client node
  private final RaftClient client;
  private final IndependentWrites writes;
  private final ChangeDispatcher dispatcher;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReplicatedMetadata(
      MetadataSettings settings,
      MetadataVoter voter,
      RaftClient client,
      ChangeDispatcher dispatcher) {
    this.settings = settings;
    this.voter = voter;
    this.client = client;
    this.writes = new IndependentWrites(client, settings.selfId());
    this.dispatcher = dispatcher;
  }

  /**
   * Starts this node's part: on a voter, its Raft server (recovering its log and latest snapshot
   * from {@code dataDir}) and a client; on any other node, a client only. Returns without waiting
   * for a leader.
   *
   * @throws IOException when the Raft port cannot be bound or the data dir cannot be used
   */
  public static ReplicatedMetadata start(MetadataSettings settings) throws IOException {
    // Ratis ends the JVM (System.exit) on errors it deems fatal, e.g. a Raft port already in use.
    // Inlet embeds it beside everything else the node serves: such an error is thrown instead,
    // to be reported (start-up) or to turn the node not ready (MetadataCatchUp), never an exit.
    ExitUtils.disableSystemExit();
    RaftGroup group = MetadataRaftGroup.group(settings);
    ChangeDispatcher dispatcher = new ChangeDispatcher();
    Optional<MetadataPeer> self = settings.self();
    MetadataVoter voter = null;
    if (self.isPresent()) {
      voter = MetadataVoter.start(settings, group, dispatcher);
      LOG.info(
          "Metadata: node {} is a voter of {} on {}",
          settings.selfId(),
          settings.peers(),
          self.get().address());
    } else {
      LOG.info(
          "Metadata: node {} is not in {}, so it is a client of the group",
          settings.selfId(),
          settings.peers());
    }
    RaftClient client = MetadataRaftGroup.client(settings, group);
    return new ReplicatedMetadata(settings, voter, client, dispatcher);
  }

  /** True when this node keeps a replica and votes; false for a client node. */
  public boolean isVoter() {
    return voter != null;
  }

  /**
   * Applies {@code write} atomically through the group.
   *
   * @return the write's log index, once committed by a majority and applied; see the class comment
   *     for every way it fails
   */
  public CompletableFuture<Long> write(MetadataWrite write) {
    checkOpen();
    byte[] command = MetadataCodec.encodeWrite(write);
    if (command.length > MAX_WRITE_BYTES) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "a metadata write holds at most "
                  + MAX_WRITE_BYTES
                  + " bytes encoded, this one "
                  + command.length));
    }
    Message message = Message.valueOf(ByteString.copyFrom(command));
    return within(writes.send(message), "write to '" + write.namespace() + "'")
        .thenApply(
            reply -> {
              WriteOutcome outcome =
                  MetadataCodec.decodeOutcome(reply.getMessage().getContent().toByteArray());
              if (outcome instanceof WriteOutcome.Applied applied) {
                return applied.index();
              }
              if (outcome instanceof WriteOutcome.Conflict c) {
                throw new VersionConflictException(
                    write.namespace(), c.key(), c.expectedVersion(), c.actualVersion());
              }
              throw new MetadataFormatException(
                  "the metadata group rejected the write: "
                      + ((WriteOutcome.Rejected) outcome).reason());
            });
  }

  /** The entry of {@code key}, or empty when the key does not exist. */
  public CompletableFuture<Optional<MetadataEntry>> get(
      String namespace, String key, ReadMode mode) {
    MetadataQuery query = new MetadataQuery(namespace, key);
    if (mode == ReadMode.LOCAL && isVoter()) {
      checkOpen();
      return CompletableFuture.completedFuture(voter.space().get(namespace, key));
    }
    return query(query).thenApply(entries -> Optional.ofNullable(entries.get(key)));
  }

  /** Every entry of {@code namespace}, in key order (UTF-8 bytes); unmodifiable. */
  public CompletableFuture<NavigableMap<String, MetadataEntry>> list(
      String namespace, ReadMode mode) {
    MetadataQuery query = new MetadataQuery(namespace, null);
    if (mode == ReadMode.LOCAL && isVoter()) {
      checkOpen();
      return CompletableFuture.completedFuture(voter.space().list(namespace));
    }
    return query(query);
  }

  /**
   * Registers a listener of the changes this voter applies from now on.
   *
   * @return closing it removes the listener
   * @throws IllegalStateException on a client node, which applies nothing
   */
  public AutoCloseable addListener(MetadataListener listener) {
    if (!isVoter()) {
      throw new IllegalStateException(
          "node "
              + settings.selfId()
              + " is not one of the metadata nodes "
              + settings.peers()
              + ", so it applies no changes to listen to");
    }
    return dispatcher.add(listener);
  }

  /** The id of the node this node believes leads the group, if it knows one. */
  public Optional<Integer> leaderId() {
    RaftPeerId leader;
    if (isVoter()) {
      try {
        leader = voter.division().getInfo().getLeaderId();
      } catch (IOException e) {
        return Optional.empty();
      }
    } else {
      leader = client.getLeaderId();
    }
    return MetadataRaftGroup.nodeId(leader);
  }

  /** The settings this instance runs with. */
  public MetadataSettings settings() {
    return settings;
  }

  private CompletableFuture<NavigableMap<String, MetadataEntry>> query(MetadataQuery query) {
    checkOpen();
    Message message = Message.valueOf(ByteString.copyFrom(MetadataCodec.encodeQuery(query)));
    // Unordered: an ordered read sent to this node would take a place in the client's ordered
    // stream that the leader then waits for, holding back this client's next write.
    CompletableFuture<RaftClientReply> reply =
        client
            .async()
            .sendReadOnlyUnordered(
                message,
                isVoter() && voter.answersReads()
                    ? MetadataRaftGroup.peerId(settings.selfId())
                    : null);
    return within(reply, "read of '" + query.namespace() + "'")
        .thenApply(r -> MetadataCodec.decodeEntries(r.getMessage().getContent().toByteArray()));
  }

  /** Bounds {@code future} by the request timeout and turns Ratis' failures into ours. */
  private CompletableFuture<RaftClientReply> within(
      CompletableFuture<RaftClientReply> future, String what) {
    return future
        .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, error) -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause == null && reply.isSuccess()) {
                return reply;
              }
              if (cause == null) {
                cause = reply.getException();
              }
              throw unavailable(what, cause);
            });
  }

  private MetadataException unavailable(String what, Throwable cause) {
    if (closed.get()) {
      return new MetadataException("the replicated metadata is closed", cause);
    }
    String reason =
        cause instanceof TimeoutException
            ? "no answer within " + settings.requestTimeout().toMillis() + " ms"
            : String.valueOf(cause);
    return new MetadataUnavailableException(
        "metadata "
            + what
            + " failed: no leader backed by a majority of the metadata nodes "
            + settings.peers()
            + " answered ("
            + reason
            + "); a write that failed this way was not acknowledged",
        cause);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new MetadataException("the replicated metadata is closed");
    }
  }

  /** Closes the client, then the Raft server (this voter leaves the group until restarted). */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> parts =
        voter == null ? List.of(writes, client) : List.of(writes, client, voter);
    IOException failure = null;
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IOException("closing the replicated metadata failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      dispatcher.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }
}
