package io.inlet.cdc.source;

import io.inlet.cdc.state.ConnectorStateSpace;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a running connector's state space to the offset store and schema history that Debezium
 * instantiates by class name (no constructor arguments): the engine's config carries {@value #KEY},
 * an id registered here for as long as the engine runs.
 */
final class StateHandles {
  static final String KEY = "inlet.state.id";
  private static final Map<String, ConnectorStateSpace> HANDLES = new ConcurrentHashMap<>();

  private StateHandles() {}

  static void register(String id, ConnectorStateSpace space) {
    HANDLES.put(id, space);
  }

  static void unregister(String id) {
    HANDLES.remove(id);
  }

  /**
   * @throws IllegalStateException when no running connector has that id
   */
  static ConnectorStateSpace lookup(String id) {
    ConnectorStateSpace space = id == null ? null : HANDLES.get(id);
    if (space == null) {
      throw new IllegalStateException("no connector state registered under " + KEY + "=" + id);
    }
    return space;
  }
}
