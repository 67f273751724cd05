package io.inlet.bench.server;

import io.inlet.bench.nullserver.NullServer;
import io.inlet.server.ServerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * Where a benchmark's server comes from: {@code --server host:port} for one already running, or by
 * default a child process started for the run on a fresh data dir.
 */
public final class TargetOptions {
  /** Arguments every spawned server gets, so it never collides with other local servers. */
  static final List<String> DEFAULT_SERVER_ARGS =
      List.of("--http-port", "0", "--max-record-size", "16MiB");

  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "Benchmark a running server instead of starting one.")
  String server;

  @Option(
      names = "--server-data-dir",
      paramLabel = "DIR",
      description = "With --server: its data dir, for disk statistics and the fsync ceiling.")
  Path serverDataDir;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description = "With --server: its process id, for CPU figures.")
  Long serverPid;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "Where spawned servers get their run directories (data dir and logs)."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "${sys:java.io.tmpdir}")
  Path dataRoot;

  @Option(
      names = "--server-cmd",
      paramLabel = "PATH",
      description =
          "Start the server with this launcher (e.g. the distribution's bin/inlet) instead of"
              + " from the benchmark's classpath.")
  Path serverCommand;

  @Option(
      names = "--server-jvm-opt",
      paramLabel = "OPT",
      description = "JVM option for a spawned server (repeatable). Default: ${DEFAULT-VALUE}.",
      defaultValue = "-Xms2g,-Xmx2g,-XX:+UseG1GC",
      split = ",")
  List<String> serverJvmOptions;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for a spawned server (repeatable), e.g. --server-arg=--unsafe-skip-fsync."
              + " Always given: --data-dir, --grpc-port, --http-port 0, --max-record-size 16MiB.")
  List<String> serverArgs = new ArrayList<>();

  @Option(
      names = "--null-server",
      description =
          "Start a stand-in server that answers Append without storing anything, to measure the"
              + " transport and load generator ceiling on this machine.")
  boolean nullServer;

  @Option(names = "--gc-log", description = "Write the spawned server's GC log to its run dir.")
  boolean gcLog;

  @Option(names = "--keep-data", description = "Keep the spawned server's run directory.")
  boolean keepData;

  /** Where spawned servers' run directories go. */
  public Path dataRoot() {
    return dataRoot;
  }

  /** With --server: its data dir if given, else the temp dir (a guess at the same filesystem). */
  public Path serverDataDirOrTemp() {
    return serverDataDir != null ? serverDataDir : Path.of(System.getProperty("java.io.tmpdir"));
  }

  public boolean external() {
    return server != null;
  }

  public ChildServer.Launch launch() {
    List<String> args = new ArrayList<>(DEFAULT_SERVER_ARGS);
    args.addAll(serverArgs);
    if (nullServer) {
      return new ChildServer.Launch(
          null, List.copyOf(serverJvmOptions), args, gcLog, NullServer.class.getName());
    }
    return new ChildServer.Launch(
        serverCommand, List.copyOf(serverJvmOptions), args, gcLog, ServerCommand.class.getName());
  }

  public RunDir newRunDir(String name) {
    return RunDir.create(dataRoot, name, keepData);
  }

  /**
   * The server for one run: the external one, or a fresh child process on a fresh run directory
   * that is stopped and deleted on close.
   */
  public BenchTarget open(String runName) {
    if (external()) {
      return ExternalServer.parse(server, serverDataDir, serverPid);
    }
    RunDir runDir = newRunDir(runName);
    ChildServer child = ChildServer.spawn(launch(), runDir.dataDir(), runDir.file("server.log"));
    try {
      Duration ready = child.awaitReady(START_TIMEOUT);
      System.err.printf(
          "started server pid %d on port %d in %d ms (run dir %s)%n",
          child.pid().getAsLong(), child.port(), ready.toMillis(), runDir.root());
    } catch (RuntimeException e) {
      child.close();
      runDir.close();
      throw e;
    }
    return new SpawnedTarget(child, runDir);
  }

  private record SpawnedTarget(ChildServer child, RunDir runDir) implements BenchTarget {
    @Override
    public String host() {
      return child.host();
    }

    @Override
    public int port() {
      return child.port();
    }

    @Override
    public Optional<Path> dataDir() {
      return child.dataDir();
    }

    @Override
    public OptionalLong pid() {
      return child.pid();
    }

    @Override
    public void close() {
      Duration stop = child.stop();
      System.err.printf("stopped server in %d ms%n", stop.toMillis());
      runDir.close();
    }
  }
}
