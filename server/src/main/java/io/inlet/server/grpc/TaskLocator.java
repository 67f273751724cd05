package io.inlet.server.grpc;

import io.inlet.api.hstream.ServerNode;

/**
 * Where a task (a connector or a persistent query, placed by name alike) runs: LookupResource of a
 * connector or a query answers with it.
 */
@FunctionalInterface
public interface TaskLocator {

  /** The node that runs task {@code name} (or would run it, if it does not exist yet). */
  ServerNode ownerOf(String name);

  /** A node that runs every task itself. */
  static TaskLocator self(LocalNode node) {
    return name -> node.toServerNode();
  }
}
