package io.inlet.server;

import io.inlet.server.config.ServerConfig;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Opens a node's store in its data dir, creating the directory durably the first time. */
final class StoreStartup {
  private StoreStartup() {}

  /**
   * @throws StartupException naming data-dir when it cannot be created, written or opened
   */
  static StreamStore open(
      ServerConfig config, MeterRegistry registry, Function<StoreOptions, StreamStore> opener) {
    Path dir = config.dataDir();
    try {
      // Durable: the parent is fsync'd, or a power cut soon after the first start can take the
      // whole data dir, acknowledged records and all (docs/reliability.md).
      DurableDirectories.create(dir);
    } catch (IOException e) {
      throw new StartupException(
          "data-dir "
              + dir
              + " cannot be created: "
              + StartupFailures.describe(e)
              + "; choose another with --data-dir",
          e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new StartupException(
          "data-dir " + dir + " is not a writable directory; choose another with --data-dir");
    }
    try {
      return opener.apply(
          new StoreOptions(
              dir,
              config.retentionCheckInterval(),
              config.unsafeSkipFsync(),
              registry,
              config.groupCommit(),
              config.shardStorage().orElse(null),
              config.openSealedSegments()));
    } catch (RuntimeException e) {
      throw new StartupException(
          "data-dir " + dir + " cannot be opened: " + StartupFailures.describe(e), e);
    }
  }
}
