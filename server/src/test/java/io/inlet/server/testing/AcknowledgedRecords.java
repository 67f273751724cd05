package io.inlet.server.testing;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.RecordId;
import io.inlet.server.testing.AppendLoad.Acked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a load acknowledged, and which of it a node still has: Append acknowledgements as (record
 * id, payload), MQTT acknowledgements as payload text. Thread-safe for recording.
 */
public final class AcknowledgedRecords {
  private final Queue<Acked> appended = new ConcurrentLinkedQueue<>();
  private final Queue<String> published = new ConcurrentLinkedQueue<>();

  public void appended(RecordId id, ByteString payload) {
    appended.add(new Acked(id, payload));
  }

  public void published(String payload) {
    published.add(payload);
  }

  public int appendedCount() {
    return appended.size();
  }

  public int publishedCount() {
    return published.size();
  }

  /**
   * The acknowledged records the node does not have, as descriptions: an appended record missing or
   * with other bytes under its id, or a published payload absent from {@code mqttStream}. A missing
   * stream counts as every one of its records lost.
   */
  public List<String> lost(GrpcClient client, String appendStream, String mqttStream) {
    List<String> lost = new ArrayList<>();
    Map<RecordId, ByteString> stored = new HashMap<>();
    for (Acked record : readWithIds(client, appendStream)) {
      stored.put(record.id(), record.payload());
    }
    for (Acked record : appended) {
      ByteString found = stored.get(record.id());
      if (found == null) {
        lost.add("appended record " + shortId(record.id()) + " is missing");
      } else if (!found.equals(record.payload())) {
        lost.add("appended record " + shortId(record.id()) + " has other bytes");
      }
    }
    java.util.Set<String> payloads = new java.util.HashSet<>();
    for (Acked record : readWithIds(client, mqttStream)) {
      payloads.add(record.payload().toStringUtf8());
    }
    for (String payload : published) {
      if (!payloads.contains(payload)) {
        lost.add("published message " + payload + " is missing");
      }
    }
    return lost;
  }

  /** Every record of the stream with its id, shard by shard; empty when the stream is missing. */
  public static List<Acked> readWithIds(GrpcClient client, String stream) {
    List<Long> shards;
    try {
      shards = client.shardIds(stream);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
    List<Acked> out = new ArrayList<>();
    for (long shard : shards) {
      out.addAll(AppendLoad.readAll(client, shard));
    }
    return out;
  }

  private static String shortId(RecordId id) {
    return id.getShardId() + "-" + id.getBatchId() + "-" + id.getBatchIndex();
  }
}
