package io.inlet.sql.engine;

/**
 * Which node runs each persistent query. A single node runs every query; in a cluster each query
 * runs on one node (its owner), and another node takes it, from the query's newest checkpoint
 * shared in the cluster's metadata, when the owner leaves ({@link SqlEngine#reconcile()}).
 */
public interface QueryPlacement {

  /** Whether this node runs query {@code name} now. */
  boolean runsHere(String name);

  /** The id of the node that runs query {@code name} now. */
  int ownerId(String name);

  /**
   * Whether queries may move between nodes: their checkpoints are then shared through the engine's
   * state, and {@link SqlEngine#reconcile()} must be called periodically.
   */
  boolean movable();

  /**
   * The replication factor of the streams the engine creates on its own (a view's changelog, a push
   * query's result stream), so that they outlive a node where queries move between nodes.
   */
  int ownStreamsReplicationFactor();

  /** Node {@code nodeId} runs every query, which never moves. */
  static QueryPlacement singleNode(int nodeId) {
    return new QueryPlacement() {
      @Override
      public boolean runsHere(String name) {
        return true;
      }

      @Override
      public int ownerId(String name) {
        return nodeId;
      }

      @Override
      public boolean movable() {
        return false;
      }

      @Override
      public int ownStreamsReplicationFactor() {
        return 1;
      }
    };
  }
}
