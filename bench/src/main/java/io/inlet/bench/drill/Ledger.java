package io.inlet.bench.drill;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acknowledged-versus-stored accounting. Loads record here what the node acknowledged (Append
 * record ids with their bytes, PUBACKed/PUBCOMPed MQTT payloads with their QoS) and what
 * StreamingFetch delivered; {@link #verify} reads everything back and counts what is missing,
 * changed, out of order or duplicated. Thread-safe for recording.
 */
final class Ledger {
  private final Map<RecordId, ByteString> appended = new ConcurrentHashMap<>();
  private final Map<String, Integer> published = new ConcurrentHashMap<>();
  private final Map<RecordId, ByteString> delivered = new ConcurrentHashMap<>();
  private final AtomicLong idsReused = new AtomicLong();

  /** An Append acknowledged {@code id} for {@code payload}; an id seen before counts as reused. */
  void appended(RecordId id, ByteString payload) {
    if (appended.putIfAbsent(id, payload) != null) {
      idsReused.incrementAndGet();
    }
  }

  /**
   * Appends one RAW record to a shard and records the acknowledgement.
   *
   * @return its record id
   * @throws io.grpc.StatusRuntimeException when the Append fails
   */
  RecordId appendOne(ManagedChannel channel, String stream, long shard, ByteString payload) {
    AppendResponse response =
        HStreamApiGrpc.newBlockingStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .append(
                AppendRequest.newBuilder()
                    .setStreamName(stream)
                    .setShardId(shard)
                    .setRecords(
                        RecordBatches.encode(
                            List.of(HStreamRecords.raw("k", payload.toByteArray(), Map.of())),
                            CompressionType.None))
                    .build());
    RecordId id = response.getRecordIds(0);
    appended(id, payload);
    return id;
  }

  /** An MQTT publish was acknowledged (QoS 1: PUBACK; QoS 2: PUBREC and PUBCOMP). */
  void published(String payload, int qos) {
    published.put(payload, qos);
  }

  /** StreamingFetch delivered this record. */
  void delivered(RecordId id, ByteString payload) {
    delivered.put(id, payload);
  }

  long appendedCount() {
    return appended.size();
  }

  long publishedCount() {
    return published.size();
  }

  long deliveredCount() {
    return delivered.size();
  }

  /** Acknowledged Append records that {@code stored} lacks or holds with other bytes. */
  long missingFrom(Map<RecordId, ByteString> stored) {
    return appended.entrySet().stream()
        .filter(acked -> !acked.getValue().equals(stored.get(acked.getKey())))
        .count();
  }

  /** Record ids that more than one acknowledgement carried. */
  long idsReused() {
    return idsReused.get();
  }

  /** What a read-back found. Samples hold a few descriptions of each problem. */
  record Check(
      long storedRecords,
      long lostAppended,
      long changedBytes,
      long outOfOrder,
      long storedIdsTwice,
      long lostPublished,
      long qos2Duplicates,
      long qos1Duplicates,
      long deliveredMissing,
      List<String> samples) {
    long lost() {
      return lostAppended + changedBytes + lostPublished;
    }
  }

  /**
   * Reads {@code appendStream} and {@code mqttStream} (either may be null) from the node and
   * compares them with what was acknowledged and delivered.
   */
  Check verify(ManagedChannel channel, String appendStream, String mqttStream) {
    List<String> samples = new ArrayList<>();
    Map<RecordId, ByteString> stored = new HashMap<>();
    Map<RecordId, Integer> position = new HashMap<>();
    long storedIdsTwice = 0;
    long storedRecords = 0;
    if (appendStream != null) {
      List<Stored> records = readAll(channel, appendStream);
      storedRecords += records.size();
      for (int i = 0; i < records.size(); i++) {
        Stored record = records.get(i);
        if (stored.put(record.id(), record.payload()) != null) {
          storedIdsTwice++;
          sample(samples, "record id " + text(record.id()) + " is stored twice");
        }
        position.put(record.id(), i);
      }
    }
    long lostAppended = 0;
    long changed = 0;
    Map<Long, List<RecordId>> ackedByShard = new HashMap<>();
    for (Map.Entry<RecordId, ByteString> acked : appended.entrySet()) {
      ByteString found = stored.get(acked.getKey());
      if (found == null) {
        lostAppended++;
        sample(samples, "acknowledged record " + text(acked.getKey()) + " is missing");
      } else if (!found.equals(acked.getValue())) {
        changed++;
        sample(samples, "acknowledged record " + text(acked.getKey()) + " has other bytes");
      } else {
        ackedByShard
            .computeIfAbsent(acked.getKey().getShardId(), s -> new ArrayList<>())
            .add(acked.getKey());
      }
    }
    long outOfOrder = 0;
    Comparator<RecordId> byId =
        Comparator.comparingLong(RecordId::getBatchId).thenComparingInt(RecordId::getBatchIndex);
    for (List<RecordId> ids : ackedByShard.values()) {
      ids.sort(byId);
      for (int i = 1; i < ids.size(); i++) {
        if (position.get(ids.get(i)) < position.get(ids.get(i - 1))) {
          outOfOrder++;
          sample(samples, "record " + text(ids.get(i)) + " is stored before a lower id");
        }
      }
    }
    long deliveredMissing = 0;
    for (Map.Entry<RecordId, ByteString> seen : delivered.entrySet()) {
      if (!seen.getValue().equals(stored.get(seen.getKey()))) {
        deliveredMissing++;
        sample(samples, "delivered record " + text(seen.getKey()) + " is not stored as delivered");
      }
    }
    long lostPublished = 0;
    long qos2Duplicates = 0;
    long qos1Duplicates = 0;
    if (mqttStream != null) {
      Map<String, Integer> copies = new HashMap<>();
      for (Stored record : readAll(channel, mqttStream)) {
        copies.merge(record.payload().toStringUtf8(), 1, Integer::sum);
      }
      storedRecords += copies.values().stream().mapToLong(Integer::longValue).sum();
      for (Map.Entry<String, Integer> acked : published.entrySet()) {
        int count = copies.getOrDefault(acked.getKey(), 0);
        if (count == 0) {
          lostPublished++;
          sample(samples, "acknowledged MQTT message " + acked.getKey() + " is missing");
        } else if (count > 1 && acked.getValue() == 2) {
          qos2Duplicates++;
          sample(samples, "QoS 2 message " + acked.getKey() + " is stored " + count + " times");
        } else if (count > 1) {
          qos1Duplicates++;
        }
      }
    }
    return new Check(
        storedRecords,
        lostAppended,
        changed,
        outOfOrder,
        storedIdsTwice,
        lostPublished,
        qos2Duplicates,
        qos1Duplicates,
        deliveredMissing,
        samples);
  }

  private static void sample(List<String> samples, String text) {
    if (samples.size() < 10) {
      samples.add(text);
    }
  }

  static String text(RecordId id) {
    return id.getShardId() + "/" + id.getBatchId() + "/" + id.getBatchIndex();
  }

  /** A stored record and its id. */
  record Stored(RecordId id, ByteString payload) {}

  /** Every record of the stream, shard by shard in LSN order; empty when the stream is missing. */
  static List<Stored> readAll(ManagedChannel channel, String stream) {
    List<Long> shards;
    try {
      shards =
          HStreamApiGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
              .getShardsList()
              .stream()
              .map(Shard::getShardId)
              .toList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
    List<Stored> out = new ArrayList<>();
    for (long shard : shards) {
      out.addAll(readShard(channel, shard, 120));
    }
    return out;
  }

  /** Every record of one shard, earliest to latest, within {@code deadlineSeconds}. */
  static List<Stored> readShard(ManagedChannel channel, long shard, int deadlineSeconds) {
    List<Stored> out = new ArrayList<>();
    HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(
            response -> {
              for (ReceivedRecord received : response.getReceivedRecordsList()) {
                List<HStreamRecord> records = RecordBatches.decode(received.getRecord());
                for (int i = 0; i < records.size() && i < received.getRecordIdsCount(); i++) {
                  out.add(new Stored(received.getRecordIds(i), records.get(i).getPayload()));
                }
              }
            });
    return out;
  }
}
