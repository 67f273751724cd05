package io.inlet.cdc;

/**
 * Which connectors this node runs. A single node runs every connector; in a cluster each connector
 * runs on one node (its owner), and another node takes it when the owner leaves ({@link
 * ConnectorRuntime#reconcile()}).
 */
@FunctionalInterface
public interface ConnectorPlacement {

  /** Whether this node runs the connector {@code name} now. */
  boolean runsHere(String name);

  /** Every connector runs on this node. */
  ConnectorPlacement EVERY_CONNECTOR = name -> true;
}
