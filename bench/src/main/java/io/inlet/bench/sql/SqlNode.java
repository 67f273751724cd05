package io.inlet.bench.sql;

import io.grpc.ManagedChannel;
import io.inlet.bench.client.Channels;
import io.inlet.bench.server.ChildServer;
import io.inlet.bench.server.RunDir;
import io.inlet.bench.server.TargetOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh Inlet node for one phase: a child process on its own run directory, with event time from
 * the records' {@code ts} field, and gRPC channels to it. Closing stops the node and deletes the
 * run directory (unless --keep-data).
 */
final class SqlNode implements AutoCloseable {
  private final RunDir runDir;
  private final ChildServer child;
  private final Channels channels;

  SqlNode(TargetOptions target, String name, long allowedLatenessMillis, int channelCount) {
    ChildServer.Launch base = target.launch();
    List<String> args = new ArrayList<>(base.serverArgs());
    args.addAll(
        List.of(
            "--sql-event-time-field",
            "ts",
            "--sql-allowed-lateness",
            allowedLatenessMillis + "ms"));
    ChildServer.Launch launch =
        new ChildServer.Launch(
            base.serverCommand(), base.jvmOptions(), args, base.gcLog(), base.mainClass());
    runDir = target.newRunDir(name);
    child = ChildServer.spawn(launch, runDir.dataDir(), runDir.file("server.log"));
    try {
      Duration ready = child.awaitReady(Duration.ofMinutes(2));
      System.err.printf(
          "started node pid %d on port %d in %d ms (run dir %s)%n",
          child.pid().getAsLong(), child.port(), ready.toMillis(), runDir.root());
    } catch (RuntimeException e) {
      child.close();
      runDir.close();
      throw e;
    }
    channels = Channels.open(child, channelCount);
  }

  List<ManagedChannel> channels() {
    List<ManagedChannel> out = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      out.add(channels.forClient(i));
    }
    return out;
  }

  long pid() {
    return child.pid().getAsLong();
  }

  String logTail() {
    return child.logTail(40);
  }

  @Override
  public void close() {
    channels.close();
    child.stop();
    runDir.close();
  }
}
