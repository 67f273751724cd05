package io.inlet.bench.segment;

import io.inlet.store.segment.SegmentEntry;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** The segment log ({@code io.inlet.store.segment}) with its default options. */
final class SegmentEngine implements LogEngine {
  private final SegmentLog log;

  SegmentEngine(Path dir) {
    this.log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS);
  }

  @Override
  public String name() {
    return "segment log";
  }

  @Override
  public CompletableFuture<?> append(int shard, byte[] payload, int records) {
    return log.append(shard, new SegmentEntry(payload, records, 0, System.currentTimeMillis()));
  }

  @Override
  public void close() {
    log.close();
  }
}
