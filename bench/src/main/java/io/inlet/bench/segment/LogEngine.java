package io.inlet.bench.segment;

import java.util.concurrent.CompletableFuture;

/** A log the benchmark appends to: the segment log or the RocksDB store, in a fresh directory. */
interface LogEngine extends AutoCloseable {
  String name();

  /** Appends one entry of {@code records} records to shard number {@code shard} (0-based). */
  CompletableFuture<?> append(int shard, byte[] payload, int records);

  @Override
  void close();
}
