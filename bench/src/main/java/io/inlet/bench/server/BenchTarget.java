package io.inlet.bench.server;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** The Inlet server a benchmark talks to: one it started itself, or one already running. */
public interface BenchTarget extends AutoCloseable {

  String host();

  int port();

  /** The server's data dir, when known (used for disk statistics and the fsync ceiling). */
  Optional<Path> dataDir();

  /** The server's process id, when known (used for per-thread CPU figures). */
  OptionalLong pid();

  /** Stops a server this benchmark started; leaves an external one running. Idempotent. */
  @Override
  void close();
}
