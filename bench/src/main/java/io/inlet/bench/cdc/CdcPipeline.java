package io.inlet.bench.cdc;

/** Something that captures the bench table's changes and tells {@link Arrivals} of each one. */
interface CdcPipeline extends AutoCloseable {

  String name();

  /** Starts capturing (an initial snapshot, then streaming); returns at once. */
  void start(Arrivals arrivals) throws Exception;

  @Override
  void close() throws Exception;
}
