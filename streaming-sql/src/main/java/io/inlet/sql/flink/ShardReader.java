package io.inlet.sql.flink;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads its shards with one ReadShardStream call each. The calls use gRPC flow control: a call asks
 * for its next message only after the task thread has taken the previous one, so at most one
 * response per shard waits in memory. Everything but the gRPC callbacks runs on the task thread.
 *
 * <p>Each shard emits into its own split output ({@link ReaderOutput#createOutputForSplit}), so
 * each shard has its own watermark generator and the reader's watermark is the smallest of its
 * shards' watermarks: a record read from one shard is never late because another shard was read
 * further. A shard that has been silent for the strategy's idle timeout ({@code
 * table.exec.source.idle-timeout} in SQL) stops holding the watermark back until it has records
 * again.
 */
final class ShardReader implements SourceReader<RowData, ShardSplit> {
  private static final Logger log = LoggerFactory.getLogger(ShardReader.class);

  private final SourceReaderContext context;
  private final String target;
  private final JsonRows rows;
  private final Map<String, ShardCall> calls = new HashMap<>();
  private final ConcurrentLinkedQueue<Fetched> queue = new ConcurrentLinkedQueue<>();
  private final Counter skipped;
  private final Counter read;

  /** The append time of the last record emitted (epoch ms); 0 before the first. */
  private volatile long lastAppendTime;

  /**
   * Whether the last poll emitted everything received: the reader waits at the tail of its shards
   * (its read lag is 0) until a response arrives.
   */
  private volatile boolean caughtUp = true;

  private ManagedChannel channel;
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();
  private Fetched current;
  private int currentIndex;
  private List<HStreamRecord> currentRecords;

  /** The splits whose output was not created yet (outputs exist only inside pollNext). */
  private final List<ShardCall> withoutOutput = new ArrayList<>();

  ShardReader(SourceReaderContext context, String target, JsonRows rows) {
    this.context = context;
    this.target = target;
    this.rows = rows;
    this.skipped = context.metricGroup().counter("inletRecordsNotJson");
    this.read = context.metricGroup().counter("inletRecordsRead");
    // How far behind the streams' tails the reader is, in time: how long ago the records it emits
    // now were appended, or 0 when it has read everything.
    context
        .metricGroup()
        .gauge(
            "inletReadLagMs",
            () -> caughtUp || lastAppendTime == 0 ? 0L : Math.max(0, now() - lastAppendTime));
  }

  /** A response of one shard's call, or the call's failure. */
  private record Fetched(ShardCall call, ReadShardStreamResponse response, Throwable error) {}

  @Override
  public void start() {
    channel();
  }

  /** Opened by whichever comes first: start, or the splits restored from a checkpoint. */
  private ManagedChannel channel() {
    if (channel == null) {
      channel = InletChannels.open(target);
    }
    return channel;
  }

  @Override
  public InputStatus pollNext(ReaderOutput<RowData> output) {
    // Every assigned shard gets its output (and so holds the watermark back) before any record is
    // emitted, also a shard with nothing to read yet: until its idle timeout passes it may still
    // deliver records older than another shard's.
    for (ShardCall call : withoutOutput) {
      call.output = output.createOutputForSplit(call.split.splitId());
    }
    withoutOutput.clear();
    int emitted = 0;
    while (emitted < 1000) {
      if (current == null) {
        current = queue.poll();
        if (current == null) {
          break;
        }
        if (current.error() != null) {
          Throwable e = current.error();
          throw new IllegalStateException(
              "reading shard "
                  + current.call().split.splitId()
                  + " from "
                  + target
                  + " failed: "
                  + e.getMessage(),
              e);
        }
        currentIndex = 0;
        currentRecords = null;
      }
      List<ReceivedRecord> received = current.response().getReceivedRecordsList();
      ShardCall call = current.call();
      while (currentIndex < received.size() && emitted < 1000) {
        emitted += emit(call, received.get(currentIndex++));
      }
      if (currentIndex >= received.size()) {
        current = null;
        if (calls.get(call.split.splitId()) == call) {
          call.requestNext();
        }
      }
    }
    if (current != null || !queue.isEmpty()) {
      caughtUp = false;
      return InputStatus.MORE_AVAILABLE;
    }
    caughtUp = true;
    available = new CompletableFuture<>();
    if (!queue.isEmpty()) {
      available.complete(null);
    }
    return InputStatus.NOTHING_AVAILABLE;
  }

  private int emit(ShardCall call, ReceivedRecord received) {
    if (received.getRecordIdsCount() == 0) {
      return 0;
    }
    currentRecords = RecordBatches.decode(received.getRecord());
    long appendTime =
        received.getRecord().getPublishTime().getSeconds() * 1000
            + received.getRecord().getPublishTime().getNanos() / 1_000_000;
    lastAppendTime = appendTime;
    int n = 0;
    for (RecordId id : received.getRecordIdsList()) {
      ShardSplit split = call.split;
      if (split.started()
          && (id.getBatchId() < split.lastBatchId()
              || (id.getBatchId() == split.lastBatchId()
                  && id.getBatchIndex() <= split.lastBatchIndex()))) {
        continue; // read again after a restart from this position: emitted already
      }
      int index = id.getBatchIndex();
      RowData row =
          index < currentRecords.size() ? rows.toRow(currentRecords.get(index), appendTime) : null;
      if (row == null) {
        skipped.inc();
      } else {
        call.output.collect(row, appendTime);
        read.inc();
        n++;
      }
      call.split = split.at(id.getBatchId(), index);
    }
    return n;
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  @Override
  public List<ShardSplit> snapshotState(long checkpointId) {
    List<ShardSplit> out = new ArrayList<>();
    calls.values().forEach(c -> out.add(c.split));
    return out;
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    return available;
  }

  @Override
  public void addSplits(List<ShardSplit> splits) {
    for (ShardSplit split : splits) {
      ShardCall call = new ShardCall(split);
      calls.put(split.splitId(), call);
      withoutOutput.add(call);
      call.open();
    }
  }

  @Override
  public void notifyNoMoreSplits() {}

  @Override
  public void close() {
    calls.values().forEach(ShardCall::cancel);
    calls.clear();
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  private void offer(Fetched fetched) {
    queue.add(fetched);
    available.complete(null);
  }

  /** One shard's ReadShardStream call. */
  private final class ShardCall
      implements ClientResponseObserver<ReadShardStreamRequest, ReadShardStreamResponse> {
    ShardSplit split; // task thread only
    SourceOutput<RowData> output; // task thread only; set by the first pollNext after addSplits
    private volatile ClientCallStreamObserver<ReadShardStreamRequest> requests;

    ShardCall(ShardSplit split) {
      this.split = split;
    }

    void open() {
      ShardOffset from;
      if (split.started()) {
        from =
            ShardOffset.newBuilder()
                .setRecordOffset(
                    RecordId.newBuilder()
                        .setShardId(split.shardId())
                        .setBatchId(split.lastBatchId())
                        .setBatchIndex(split.lastBatchIndex()))
                .build();
      } else {
        from =
            ShardOffset.newBuilder()
                .setSpecialOffset(
                    split.startLatest() ? SpecialOffset.LATEST : SpecialOffset.EARLIEST)
                .build();
      }
      log.debug("reading {} from {}", split.splitId(), from);
      HStreamApiGrpc.newStub(channel())
          .readShardStream(
              ReadShardStreamRequest.newBuilder()
                  .setReaderId("flink-" + UUID.randomUUID())
                  .setStreamName(split.stream())
                  .setShardId(split.shardId())
                  .setFrom(from)
                  .build(),
              this);
    }

    void requestNext() {
      ClientCallStreamObserver<ReadShardStreamRequest> r = requests;
      if (r != null) {
        r.request(1);
      }
    }

    void cancel() {
      ClientCallStreamObserver<ReadShardStreamRequest> r = requests;
      if (r != null) {
        r.cancel("source closed", null);
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ReadShardStreamRequest> requestStream) {
      requests = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(ReadShardStreamResponse value) {
      offer(new Fetched(this, value, null));
    }

    @Override
    public void onError(Throwable t) {
      offer(new Fetched(this, null, t));
    }

    @Override
    public void onCompleted() {
      offer(
          new Fetched(
              this,
              null,
              new IllegalStateException("the node ended the read of " + split.splitId())));
    }
  }
}
