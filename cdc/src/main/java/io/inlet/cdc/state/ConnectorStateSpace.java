package io.inlet.cdc.state;

import io.inlet.api.state.KeyValueStore;

/**
 * Where one connector keeps its state in the node's {@link KeyValueStore}: Debezium offsets, schema
 * history and sink positions each in a namespace of their own, named after the connector, so that
 * deleting the connector deletes exactly its state.
 */
public record ConnectorStateSpace(KeyValueStore store, String connector) {
  /** Connector definitions (name, type, target, config, desired state), keyed by name. */
  public static final String DEFINITIONS = "cdc.connectors";

  public String offsets() {
    return "cdc.offsets." + connector;
  }

  public String schemaHistory() {
    return "cdc.history." + connector;
  }

  public String sinkPositions() {
    return "cdc.sink." + connector;
  }

  /** Deletes every entry of the connector's namespaces (its definition is the caller's). */
  public void clear() {
    for (String namespace : new String[] {offsets(), schemaHistory(), sinkPositions()}) {
      store.apply(namespace, java.util.Map.of(), store.list(namespace).keySet());
    }
  }
}
