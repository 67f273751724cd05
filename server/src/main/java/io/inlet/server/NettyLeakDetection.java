package io.inlet.server;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer leak detection in a production node. At its default level ({@code simple}) Netty
 * tracks one buffer in 128 and records a stack trace for each tracked buffer: on the single-record
 * Append path that was about 3.5% of the node's CPU (profile in docs/benchmarks.md, "Profile of the
 * append path"). {@code inlet server} turns it off unless the JVM was started with {@code
 * -Dio.netty.leakDetection.level=...}, which it respects (e.g. {@code simple} or {@code paranoid}
 * to hunt a leak). Tests and embedders that start {@link InletServer} themselves keep Netty's
 * default.
 */
final class NettyLeakDetection {
  static final String LEVEL_PROPERTY = "io.netty.leakDetection.level";

  private NettyLeakDetection() {}

  /** Disables leak detection unless {@value #LEVEL_PROPERTY} is set. */
  static void disableUnlessRequested() {
    if (System.getProperty(LEVEL_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
