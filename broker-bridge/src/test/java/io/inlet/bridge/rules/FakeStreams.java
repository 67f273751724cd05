package io.inlet.bridge.rules;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A hand-written in-memory {@link StreamAppender} and {@link StreamProvisioner}: streams of one
 * shard each; appends are durable at once unless the store is set to fail.
 */
final class FakeStreams implements StreamAppender, StreamProvisioner {
  final Map<String, List<HStreamRecord>> streams = new ConcurrentHashMap<>();
  final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();
  final List<String> created = new ArrayList<>();
  volatile boolean storeFailing;
  volatile int maxPayload = Integer.MAX_VALUE;
  volatile CountDownLatch creationGate = new CountDownLatch(0);
  volatile RuntimeException creationFailure;
  private long lsn;

  void createNow(String stream) {
    streams.put(stream, new ArrayList<>());
    shardCounts.put(stream, 1);
  }

  synchronized List<HStreamRecord> records(String stream) {
    return List.copyOf(streams.getOrDefault(stream, List.of()));
  }

  @Override
  public synchronized CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    List<HStreamRecord> records = streams.get(streamName);
    if (records == null) {
      return CompletableFuture.failedFuture(InletException.streamNotFound(streamName));
    }
    if (storeFailing) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    if (batch.getPayload().size() > maxPayload) {
      return CompletableFuture.failedFuture(
          new InletException(ErrorCode.StreamInvalidRecordSize, "too large"));
    }
    records.addAll(RecordBatches.decode(batch));
    return CompletableFuture.completedFuture(
        new AppendResult(streamName, shardId, ++lsn, batch.getBatchSize()));
  }

  @Override
  public long shardForKey(String streamName, String partitionKey) {
    if (!streams.containsKey(streamName)) {
      throw InletException.streamNotFound(streamName);
    }
    return 1;
  }

  @Override
  public boolean exists(String stream) {
    return streams.containsKey(stream);
  }

  @Override
  public void create(String stream, int shardCount) {
    try {
      creationGate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted");
    }
    if (creationFailure != null) {
      throw creationFailure;
    }
    synchronized (this) {
      created.add(stream);
      streams.putIfAbsent(stream, new ArrayList<>());
      shardCounts.put(stream, shardCount);
    }
  }

  synchronized void delete(String stream) {
    streams.remove(stream);
  }
}
