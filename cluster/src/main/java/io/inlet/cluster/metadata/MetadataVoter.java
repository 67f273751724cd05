package io.inlet.cluster.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogBase;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A voter's Raft server and the state machine it applies to, kept running.
 *
 * <p>Ratis closes a server's log for good when a write or sync of it fails (a full disk, an I/O
 * error): the voter then takes no part in the group until its server is started again. Once a
 * second this checks the log, and when it has failed and the data dir's file system has {@link
 * #HEADROOM_BYTES} free, restarts the server on the same directory: it recovers its log and latest
 * snapshot as after a crash, then catches up from the leader. The new state machine starts from a
 * copy of what the old one held, and serves this node's local reads only once it has applied as
 * much, so those never go back in time; listeners do not hear again what they heard ({@link
 * ChangeDispatcher}).
 */
final class MetadataVoter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataVoter.class);

  /** Free space the data dir's file system needs before a failed server is started again. */
  static final long HEADROOM_BYTES = 4L << 20;

  private final MetadataSettings settings;
  private final RaftGroup group;
  private final ChangeDispatcher dispatcher;
  private final ScheduledExecutorService watch;
  private volatile RaftServer server;
  private volatile MetadataStateMachine serving; // answers local reads
  private volatile MetadataStateMachine catchingUp; // restarted, until it has applied as much
  private boolean waitingForRoom; // watch thread only
  private HeldVote
      heldVote; // captured from the failed server before its first restart; guarded by this

  /** The term and vote a failed server held in memory, and where its storage keeps them. */
  private record HeldVote(Path currentDir, RaftStorageMetadata vote) {}

  private boolean closed; // guarded by this

  private MetadataVoter(
      MetadataSettings settings,
      RaftGroup group,
      ChangeDispatcher dispatcher,
      RaftServer server,
      MetadataStateMachine machine) {
    this.settings = settings;
    this.group = group;
    this.dispatcher = dispatcher;
    this.server = server;
    this.serving = machine;
    this.watch =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-metadata-watch");
              t.setDaemon(true);
              return t;
            });
    watch.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts this voter's Raft server (recovering its log and latest snapshot from the data dir).
   *
   * @throws IOException when the Raft port cannot be bound or the data dir cannot be used
   */
  static MetadataVoter start(
      MetadataSettings settings, RaftGroup group, ChangeDispatcher dispatcher) throws IOException {
    MetadataStateMachine machine =
        new MetadataStateMachine(dispatcher::publish, new MetadataSpace());
    return new MetadataVoter(
        settings, group, dispatcher, startServer(settings, group, machine), machine);
  }

  private static RaftServer startServer(
      MetadataSettings settings, RaftGroup group, MetadataStateMachine machine) throws IOException {
    MetadataPeer self = settings.self().orElseThrow();
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(MetadataRaftGroup.peerId(settings.selfId()))
            .setGroup(group)
            .setStateMachine(machine)
            .setProperties(MetadataRaftGroup.serverProperties(settings, self))
            .setParameters(MetadataRaftGroup.parameters(settings))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    try {
      server.start();
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw new IOException(
          "cannot start the metadata Raft server of node "
              + settings.selfId()
              + " on "
              + self.address()
              + " (data in "
              + settings.dataDir()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** This voter's part of the group, for its role and leader. */
  RaftServer.Division division() throws IOException {
    return server.getDivision(group.getGroupId());
  }

  /**
   * Whether this voter's own server answers linearizable reads: not while its log has failed, nor
   * while a restarted one catches up (reads then go to the group).
   */
  boolean answersReads() {
    promoteIfCaughtUp();
    return catchingUp == null && !logFailed();
  }

  /** The space this node's local reads see. */
  MetadataSpace space() {
    promoteIfCaughtUp();
    return serving.space();
  }

  private void check() {
    try {
      promoteIfCaughtUp();
      if (!logFailed()) {
        waitingForRoom = false;
        return;
      }
      long free = freeBytes();
      if (free < HEADROOM_BYTES) {
        if (!waitingForRoom) {
          waitingForRoom = true;
          LOG.warn(
              "Metadata: node {}'s Raft log failed; it takes no part in the group until {} has {}"
                  + " free (it has {})",
              settings.selfId(),
              settings.dataDir(),
              mib(HEADROOM_BYTES),
              mib(free));
        }
        return;
      }
      waitingForRoom = false;
      restart();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Metadata: restarting node {}'s Raft server failed; retrying in 1 s",
          settings.selfId(),
          e);
    }
  }

  private boolean logFailed() {
    try {
      RaftServer.Division division = division();
      RaftLog log = division.getRaftLog();
      return !division.getInfo().isAlive() || (log instanceof RaftLogBase base && !base.isOpened());
    } catch (IOException noDivision) {
      return true;
    }
  }

  private synchronized void restart() throws IOException {
    if (closed) {
      return;
    }
    LOG.warn(
        "Metadata: node {}'s Raft log failed (see above); starting its Raft server again on {}",
        settings.selfId(),
        settings.dataDir());
    if (heldVote == null) {
      RaftServer.Division failed = division();
      heldVote =
          new HeldVote(
              failed.getRaftStorage().getStorageDir().getCurrentDir().toPath(),
              failed.getRaftStorage().getMetadataFile().getMetadata());
    }
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the failed Raft server", e);
    }
    RaftVoteFile.restoreIfUnreadable(heldVote.currentDir(), heldVote.vote());
    promoteIfCaughtUp();
    // The serving machine has applied at least as much as one still catching up.
    MetadataStateMachine fresh =
        new MetadataStateMachine(dispatcher::publish, MetadataSpace.copyOf(serving.space()));
    server = startServer(settings, group, fresh);
    heldVote = null;
    catchingUp = fresh;
    LOG.info("Metadata: node {}'s Raft server runs again", settings.selfId());
  }

  private void promoteIfCaughtUp() {
    MetadataStateMachine fresh = catchingUp;
    if (fresh != null && fresh.lastAppliedIndex() >= serving.lastAppliedIndex()) {
      serving = fresh;
      catchingUp = null;
    }
  }

  private long freeBytes() {
    Path dir = settings.dataDir();
    try {
      return Files.getFileStore(Files.exists(dir) ? dir : dir.getParent()).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
    }
    watch.shutdownNow();
    server.close();
  }
}
