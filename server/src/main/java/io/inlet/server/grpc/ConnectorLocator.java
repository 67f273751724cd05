package io.inlet.server.grpc;

import io.inlet.api.hstream.ServerNode;

/** Where a connector runs: LookupResource of a connector answers with it. */
@FunctionalInterface
public interface ConnectorLocator {

  /** The node that runs {@code connectorName} (or would run it, if it does not exist yet). */
  ServerNode ownerOf(String connectorName);

  /** A node that runs every connector itself. */
  static ConnectorLocator self(LocalNode node) {
    return connectorName -> node.toServerNode();
  }
}
