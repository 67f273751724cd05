package io.inlet.sql.flink;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.Shard;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.PartitionKeys;
import io.inlet.api.record.RecordBatches;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/**
 * Buffers rows and appends them in batches to the shard of the stream that owns the default
 * partition key, in the order written ({@link OrderedAppends}: a changelog's reader drops a change
 * numbered below one it applied as a repeat). Up to {@link #MAX_IN_FLIGHT} batches wait for their
 * acknowledgement without holding the task up. {@link #flush} waits until every append is
 * acknowledged (durable). Task thread only (the flush timer runs in the task's mailbox).
 */
final class StreamWriter implements StatefulSinkWriter<RowData, Long> {
  private static final int MAX_IN_FLIGHT = 8;

  private final String stream;
  private final RowStructs structs;
  private final boolean changelog;
  private final int batchSize;
  private final long flushIntervalMs;
  private final String writerId;
  private final ManagedChannel channel;
  private final OrderedAppends appends;
  private final long shardId;
  private final ProcessingTimeService timers;
  private final Counter appended;
  private final ArrayDeque<CompletableFuture<AppendResponse>> inFlight = new ArrayDeque<>();
  private List<HStreamRecord> buffer = new ArrayList<>();
  private long seq;
  private boolean closed;

  StreamWriter(
      WriterInitContext context,
      String target,
      String stream,
      RowStructs structs,
      boolean changelog,
      int batchSize,
      Duration flushInterval,
      String writerId,
      long seq) {
    this.stream = stream;
    this.structs = structs;
    this.changelog = changelog;
    this.batchSize = batchSize;
    this.flushIntervalMs = Math.max(1, flushInterval.toMillis());
    this.writerId = writerId;
    this.seq = seq;
    this.channel = InletChannels.open(target);
    this.appends = new OrderedAppends(HStreamApiGrpc.newFutureStub(channel));
    this.shardId = defaultShard(channel, stream);
    this.timers = context.getProcessingTimeService();
    this.appended = context.metricGroup().counter("inletRecordsAppended");
    scheduleFlush();
  }

  private static long defaultShard(ManagedChannel channel, String stream) {
    List<Shard> shards =
        HStreamApiGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
            .getShardsList();
    BigInteger key = PartitionKeys.hash(PartitionKeys.DEFAULT_KEY);
    for (Shard shard : shards) {
      if (key.compareTo(new BigInteger(shard.getStartHashRangeKey())) >= 0
          && key.compareTo(new BigInteger(shard.getEndHashRangeKey())) <= 0) {
        return shard.getShardId();
      }
    }
    if (shards.isEmpty()) {
      throw new IllegalStateException("stream \"" + stream + "\" has no shard");
    }
    return shards.get(0).getShardId();
  }

  private void scheduleFlush() {
    timers.registerTimer(
        timers.getCurrentProcessingTime() + flushIntervalMs,
        time -> {
          if (closed) {
            return;
          }
          send();
          reap(false);
          scheduleFlush();
        });
  }

  @Override
  public void write(RowData row, Context context) throws IOException, InterruptedException {
    RowKind kind = row.getRowKind();
    if (!changelog && (kind == RowKind.UPDATE_BEFORE || kind == RowKind.DELETE)) {
      return;
    }
    seq++;
    Map<String, String> attributes =
        changelog
            ? Map.of("__op", kind.shortString(), "__seq", Long.toString(seq), "__writer", writerId)
            : Map.of();
    buffer.add(HStreamRecords.json("", structs.toStruct(row), attributes));
    if (buffer.size() >= batchSize) {
      send();
    }
  }

  private void send() throws IOException {
    if (buffer.isEmpty()) {
      return;
    }
    List<HStreamRecord> records = buffer;
    buffer = new ArrayList<>();
    while (inFlight.size() >= MAX_IN_FLIGHT) {
      await(inFlight.poll());
    }
    inFlight.add(
        appends.append(
            AppendRequest.newBuilder()
                .setStreamName(stream)
                .setShardId(shardId)
                .setRecords(RecordBatches.encode(records, CompressionType.None))
                .build()));
    appended.inc(records.size());
  }

  /** Drops acknowledged appends; throws the first failure met. */
  private void reap(boolean all) throws IOException {
    while (!inFlight.isEmpty() && (all || inFlight.peek().isDone())) {
      await(inFlight.poll());
    }
  }

  private void await(CompletableFuture<AppendResponse> f) throws IOException {
    try {
      f.get();
    } catch (ExecutionException e) {
      throw new IOException(
          "append to stream \"" + stream + "\" failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while appending to stream \"" + stream + "\"", e);
    }
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    send();
    reap(true);
  }

  @Override
  public List<Long> snapshotState(long checkpointId) {
    return List.of(seq);
  }

  @Override
  public void close() {
    closed = true;
    channel.shutdownNow();
  }
}
