package io.inlet.bench.segment;

import com.google.protobuf.UnsafeByteOperations;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.server.entry.BatchEntries;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Today's store on RocksDB ({@code StreamStore.open}, default options), one stream. */
final class RocksEngine implements LogEngine {
  private static final String STREAM = "bench";

  private final StreamStore store;
  private final long[] shardIds;

  RocksEngine(Path dir, int shards) {
    this.store = StreamStore.open(StoreOptions.defaults(dir));
    StreamInfo stream = store.streams().create(new StreamSpec(STREAM, shards, 1, 3600));
    List<ShardInfo> infos = stream.shards();
    this.shardIds = infos.stream().mapToLong(ShardInfo::shardId).toArray();
  }

  @Override
  public String name() {
    return "RocksDB store";
  }

  @Override
  public CompletableFuture<?> append(int shard, byte[] payload, int records) {
    BatchedRecord batch =
        BatchedRecord.newBuilder()
            .setBatchSize(records)
            .setPayload(UnsafeByteOperations.unsafeWrap(payload))
            .build();
    return store.log().append(STREAM, shardIds[shard % shardIds.length], BatchEntries.entry(batch));
  }

  @Override
  public void close() {
    store.close();
  }
}
