package io.inlet.cdc.runtime;

/**
 * What a connector does while it runs (a Debezium engine, a JDBC sink loop). The supervisor runs it
 * on the connector's own thread and restarts it with backoff when it fails.
 */
public interface ConnectorTask {

  /**
   * Runs until {@link #stop} is called (returns normally) or the task fails (throws). Calls {@code
   * running} once it is connected and delivering.
   */
  void run(Runnable running) throws Exception;

  /** Asks {@link #run} to return soon; callable from any thread, more than once. */
  void stop();
}
