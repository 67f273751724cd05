package io.inlet.bench.drill;

import io.inlet.bench.server.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every drill takes: where its nodes run, how they start, where the summary goes. */
final class DrillSetup implements AutoCloseable {

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "Where the drill's run directory goes (data dirs, node logs). Default: ${DEFAULT-VALUE}.",
      defaultValue = "${sys:java.io.tmpdir}")
  Path dataRoot;

  @Option(names = "--keep-data", description = "Keep the run directory (node logs, data dirs).")
  boolean keepData;

  @Option(
      names = "--server-jvm-opt",
      paramLabel = "OPT",
      description = "JVM option of the nodes (repeatable). Default: ${DEFAULT-VALUE}.",
      defaultValue = "-Xms256m,-Xmx1g,-XX:+UseG1GC",
      split = ",")
  List<String> jvmOptions;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument of every node start (repeatable), e.g. --server-arg=--unsafe-skip-fsync.")
  List<String> serverArgs = new ArrayList<>();

  @Option(
      names = "--summary-file",
      paramLabel = "FILE",
      description = "Also append the one-line summary to this file (for CI).")
  Path summaryFile;

  private RunDir runDir;

  /** The run directory, created on first use. */
  synchronized Path workDir() {
    if (runDir == null) {
      runDir = RunDir.create(dataRoot, "drill", keepData);
    }
    return runDir.root();
  }

  List<String> jvmOptions() {
    return List.copyOf(jvmOptions);
  }

  List<String> serverArgs() {
    return List.copyOf(serverArgs);
  }

  /** A fresh data dir in the run directory. */
  Path dataDir(String name) {
    return workDir().resolve(name);
  }

  @Override
  public synchronized void close() {
    if (runDir != null) {
      runDir.close();
    }
  }
}
