package io.inlet.store.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back into the segments what the shared journal holds and they lost (their last writes were
 * not synced when the process or the machine stopped), syncs them, and starts the journal's next
 * generation. An entry a shard already has is skipped. An entry beyond a shard's next LSN means the
 * entries between were in a group synced through its segment that did not finish: nothing from
 * there on was acknowledged (a group is acknowledged only once every group before it is durable),
 * so the shard's later entries in the journal are dropped.
 */
final class JournalReplay {
  private static final Logger log = LoggerFactory.getLogger(JournalReplay.class);

  private JournalReplay() {}

  static void run(SharedJournal journal, Map<Long, ShardSegments> shards, Path root)
      throws IOException {
    Set<ShardSegments> touched = new LinkedHashSet<>();
    Set<Long> cut = new HashSet<>();
    int replayed = 0;
    for (SharedJournal.Replayed r : journal.replay()) {
      ShardSegments shard = shards.get(r.shardId());
      if (shard == null) {
        throw new SegmentDamagedException(
            root.resolve(SharedJournal.FILE),
            0,
            "the journal holds LSN "
                + r.lsn()
                + " of shard "
                + Long.toUnsignedString(r.shardId())
                + ", which has no directory");
      }
      if (cut.contains(r.shardId()) || r.lsn() < shard.nextLsn()) {
        continue;
      }
      if (r.lsn() > shard.nextLsn()) {
        log.warn(
            "Shard {}: the journal holds LSN {} where {} comes next; its entries from {} on were"
                + " never acknowledged and are dropped",
            Long.toUnsignedString(r.shardId()),
            r.lsn(),
            shard.nextLsn(),
            shard.nextLsn());
        cut.add(r.shardId());
        continue;
      }
      shard.stage(r.entry());
      touched.add(shard);
      replayed++;
    }
    for (ShardSegments shard : touched) {
      ShardSegments.SyncPoint point = shard.write(false);
      point.force();
      point.markSynced();
    }
    if (replayed > 0) {
      log.info(
          "Put back {} entries of {} shards from the journal (generation {})",
          replayed,
          touched.size(),
          journal.generation());
    }
    journal.restart();
  }
}
