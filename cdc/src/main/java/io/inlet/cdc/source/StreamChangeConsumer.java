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
import java.util.concurrent.CompletionException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Receives each batch Debezium polls and writes it to the stream: changes grouped by the shard of
 * their key (order kept within a shard) and appended through {@link StreamAppender}. It does not
 * wait for the appends: it hands the batch to an {@link OffsetCommitQueue}, which marks the batch's
 * records processed (what lets the engine commit their offsets) only once every append of the batch
 * and of the batches before it is durable. The engine polls the next batch meanwhile, so a batch's
 * fsync and its offset commit overlap the next batches' polling and appends. A failed append fails
 * the queue: nothing of that batch or later ones is marked, the engine stops, and the restarted
 * connector reads them again (at-least-once).
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
  private final OffsetCommitQueue<RecordChangeEvent<SourceRecord>> commits;

  StreamChangeConsumer(
      StreamAppender appender,
      String stream,
      ConnectorStats stats,
      OffsetCommitQueue<RecordChangeEvent<SourceRecord>> commits) {
    this.appender = appender;
    this.stream = stream;
    this.stats = stats;
    this.commits = commits;
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
    CompletableFuture<Void> durable =
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))
            .exceptionallyCompose(e -> CompletableFuture.failedFuture(appendFailure(e)));
    int delivered = count;
    long deliveredBytes = bytes;
    long sourceTime = lastSourceTime;
    commits.submit(
        durable,
        List.copyOf(events),
        committer,
        () -> {
          if (delivered > 0) {
            stats.delivered(delivered, deliveredBytes, System.currentTimeMillis() - sourceTime);
          }
        });
  }

  private StreamWriteException appendFailure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return new StreamWriteException(
        "cannot append changes to stream \"" + stream + "\": " + cause.getMessage(), cause);
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
