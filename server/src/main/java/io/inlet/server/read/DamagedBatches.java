package io.inlet.server.read;

import io.inlet.store.ShardInfo;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports stored batches that reads skip because they do not open to what they claim: one WARN line
 * the first time each is met (naming stream, shard, LSN and what is wrong), and a count of every
 * time a read skips one. Thread-safe.
 */
public final class DamagedBatches {
  public static final String SKIPPED = "inlet.read.damaged.batches";

  private static final Logger log = LoggerFactory.getLogger(DamagedBatches.class);

  /** How many damaged batches are remembered as reported; past that, warnings may repeat. */
  private static final int REMEMBERED = 10_000;

  private final StreamCatalog streams;
  private final Counter skipped;
  private final Set<Position> reported = ConcurrentHashMap.newKeySet();

  private record Position(long shardId, long lsn) {}

  public DamagedBatches(StreamCatalog streams, MeterRegistry registry) {
    this.streams = streams;
    this.skipped =
        Counter.builder(SKIPPED)
            .description(
                "Stored batches a read or subscription skipped because they do not open to the"
                    + " records they claim (written unchecked by an older version); each skip counts")
            .register(registry);
  }

  void report(StoredEntry batch, String reason) {
    skipped.increment();
    if (reported.size() >= REMEMBERED) {
      reported.clear();
    }
    if (reported.add(new Position(batch.shardId(), batch.lsn()))) {
      String stream = streams.shard(batch.shardId()).map(ShardInfo::streamName).orElse("(deleted)");
      log.warn(
          "stream {} shard {}: stored batch {} is damaged and every read skips it: {}",
          stream,
          Long.toUnsignedString(batch.shardId()),
          batch.lsn(),
          reason);
    }
  }
}
