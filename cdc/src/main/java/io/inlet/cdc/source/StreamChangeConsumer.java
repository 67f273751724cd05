package io.inlet.cdc.source;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.RecordBatches;
import io.inlet.cdc.runtime.ConnectorStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Receives each batch Debezium polls and writes it to the stream: changes grouped by the shard of
 * their key (order kept within a shard), appended through {@link StreamAppender}, and only once
 * every append of the batch is durable are the batch's records marked processed, which is what lets
 * the engine commit their offsets. A failed append fails the batch: nothing of it is marked, the
 * engine stops, and the restarted connector reads the batch again (at-least-once).
 *
 * <p>Called by the engine's polling thread only, one batch at a time.
 */
final class StreamChangeConsumer
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
  /** Batches stay well under the default max-record-size (1 MiB). */
  static final int MAX_BATCH_BYTES = 512 * 1024;

  private final StreamAppender appender;
  private final String stream;
  private final ConnectorStats stats;

  StreamChangeConsumer(StreamAppender appender, String stream, ConnectorStats stats) {
    this.appender = appender;
    this.stream = stream;
    this.stats = stats;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    Map<Long, List<HStreamRecord>> byShard = new LinkedHashMap<>();
    long lastSourceTime = 0;
    long bytes = 0;
    int count = 0;
    for (RecordChangeEvent<SourceRecord> event : events) {
      ChangeRecordMapper.Change change = ChangeRecordMapper.map(event.record());
      if (change == null) {
        continue;
      }
      long shard = appender.shardForKey(stream, change.partitionKey());
      byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(change.record());
      lastSourceTime = Math.max(lastSourceTime, change.sourceTimeMs());
      bytes += change.record().getPayload().size();
      count++;
    }
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    byShard.forEach((shard, records) -> appendInChunks(shard, records, appends));
    try {
      CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StreamWriteException(
          "cannot append changes to stream \"" + stream + "\": " + cause.getMessage(), cause);
    }
    if (count > 0) {
      stats.delivered(count, bytes, System.currentTimeMillis() - lastSourceTime);
    }
    for (RecordChangeEvent<SourceRecord> event : events) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
  }

  private void appendInChunks(
      long shard, List<HStreamRecord> records, List<CompletableFuture<AppendResult>> appends) {
    List<HStreamRecord> chunk = new ArrayList<>();
    int chunkBytes = 0;
    for (HStreamRecord record : records) {
      int size = record.getSerializedSize() + 8;
      if (!chunk.isEmpty() && chunkBytes + size > MAX_BATCH_BYTES) {
        appends.add(
            appender.append(stream, shard, RecordBatches.encode(chunk, CompressionType.None)));
        chunk = new ArrayList<>();
        chunkBytes = 0;
      }
      chunk.add(record);
      chunkBytes += size;
    }
    if (!chunk.isEmpty()) {
      appends.add(
          appender.append(stream, shard, RecordBatches.encode(chunk, CompressionType.None)));
    }
  }

  @Override
  public boolean supportsTombstoneEvents() {
    return false;
  }

  /** The stream refused a batch (or the store could not write it); the engine stops. */
  static final class StreamWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
