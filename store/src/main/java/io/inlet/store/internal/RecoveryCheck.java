package io.inlet.store.internal;

import io.inlet.store.StreamInfo;
import io.inlet.store.internal.ShardRegistry.Recovered;
import io.inlet.store.internal.StoreMarker.ShardFloor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what a recovered database holds with what the {@link StoreMarker} says was acknowledged:
 * every shard the marker names must still belong to a stream and hold at least its acknowledged
 * LSN. Run on a read-only open before the store opens for writing, since a read-write open lets
 * RocksDB delete the files it no longer references (after a damaged MANIFEST, all of them).
 */
final class RecoveryCheck {
  /** Key of the store id in {@code meta}, beside the format version. */
  static final byte[] STORE_ID_KEY = MetaKeys.named(MetaKeys.FORMAT, "store-id");

  static final byte[] FORMAT_KEY = MetaKeys.named(MetaKeys.FORMAT, "format");

  private RecoveryCheck() {}

  /** What the database holds, as far as the check needs it. */
  record Findings(
      boolean hasFormat, String storeId, List<StreamInfo> streams, List<Recovered> shards) {

    /** A database with no metadata at all: freshly created, nothing written yet. */
    boolean isEmpty() {
      return !hasFormat && storeId == null && streams.isEmpty();
    }
  }

  static Findings inspect(StoreDatabase database) {
    MetaStore meta = new MetaStore(database);
    byte[] id = meta.get(STORE_ID_KEY);
    List<StreamInfo> streams = new ArrayList<>();
    meta.forEach(
        MetaKeys.prefix(MetaKeys.STREAM), (key, value) -> streams.add(MetaCodec.stream(value)));
    return new Findings(
        meta.get(FORMAT_KEY) != null,
        id == null ? null : new String(id, StandardCharsets.UTF_8),
        streams,
        ShardRegistry.positions(database, meta, streams));
  }

  /** Every way the findings fall short of the marker; empty when nothing acknowledged is lost. */
  static List<String> problems(Findings found, StoreMarker marker) {
    List<String> problems = new ArrayList<>();
    if (!found.hasFormat()) {
      problems.add(
          "the store's metadata (streams, subscriptions) is gone: the MANIFEST or the table files"
              + " that held it are damaged or missing");
    }
    if (found.storeId() != null && !found.storeId().equals(marker.storeId())) {
      problems.add(
          "the database is store "
              + found.storeId()
              + " but "
              + StoreMarker.FILE_NAME
              + " names store "
              + marker.storeId()
              + ": the files of two stores were mixed");
    }
    Map<Long, Recovered> byShard = new HashMap<>();
    found.shards().forEach(r -> byShard.put(r.shardId(), r));
    for (Map.Entry<Long, ShardFloor> entry : marker.shards().entrySet()) {
      long shardId = entry.getKey();
      long acknowledged = entry.getValue().acknowledged();
      Recovered shard = byShard.get(shardId);
      if (shard == null) {
        if (acknowledged > 0 && found.hasFormat()) {
          problems.add(
              "shard "
                  + shardId
                  + " (acknowledged up to LSN "
                  + acknowledged
                  + ") belongs to no stream any more: its stream's metadata is lost");
        }
      } else if (shard.lastLsn() < acknowledged) {
        problems.add(
            "shard "
                + shardId
                + " of stream \""
                + shard.streamName()
                + "\" was acknowledged up to LSN "
                + acknowledged
                + " but holds batches only up to LSN "
                + shard.lastLsn());
      }
    }
    return problems;
  }
}
