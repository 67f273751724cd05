package io.inlet.bench.server;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** A server that was running before the benchmark and keeps running after it. */
record ExternalServer(String host, int port, Optional<Path> dataDir, OptionalLong pid)
    implements BenchTarget {

  static ExternalServer parse(String hostPort, Path dataDir, Long pid) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("--server must be host:port, found: " + hostPort);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--server must be host:port, found: " + hostPort, e);
    }
    return new ExternalServer(
        hostPort.substring(0, colon),
        port,
        Optional.ofNullable(dataDir),
        pid == null ? OptionalLong.empty() : OptionalLong.of(pid));
  }

  @Override
  public void close() {}
}
