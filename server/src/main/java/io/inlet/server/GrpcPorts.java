package io.inlet.server;

import io.inlet.server.net.GrpcListener;
import io.inlet.server.net.GrpcListenerSettings;

/** What the gRPC API and the ExHook port share while a node starts them. */
final class GrpcPorts {
  private GrpcPorts() {}

  /**
   * @throws StartupException when the port's TLS files cannot be used
   */
  static GrpcListener listener(GrpcListenerSettings settings) {
    try {
      return GrpcListener.create(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** How the port is described in the "listening on" line. */
  static String transport(GrpcListenerSettings settings) {
    if (settings.tls() == null) {
      return "";
    }
    return settings.authenticatesClients()
        ? " over TLS, client certificates required"
        : " over TLS";
  }

  /** The largest gRPC message a node accepts, from the largest Append payload. */
  static int inboundLimit(int maxRecordSize) {
    long limit = Math.max(4L * maxRecordSize, maxRecordSize + (16L << 20));
    return (int) Math.min(Integer.MAX_VALUE, limit);
  }
}
