package io.inlet.cdc;

import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorStatus;
import java.util.function.Supplier;

/**
 * Told when connectors appear (created, or loaded at start) and disappear (deleted), e.g. to
 * register and remove their meters. Called under the runtime's lock: keep it quick.
 */
public interface ConnectorObserver {

  /**
   * @param stats the connector's totals, live
   * @param status its current status, read when called
   */
  void added(
      String name,
      ConnectorType type,
      Target target,
      ConnectorStats stats,
      Supplier<ConnectorStatus> status);

  void removed(String name);

  ConnectorObserver NONE =
      new ConnectorObserver() {
        @Override
        public void added(
            String name,
            ConnectorType type,
            Target target,
            ConnectorStats stats,
            Supplier<ConnectorStatus> status) {}

        @Override
        public void removed(String name) {}
      };
}
