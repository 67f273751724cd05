package io.inlet.server.connect;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.server.testing.GrpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Change records as a source connector writes them, for the sink tests: rows {@code (id, name,
 * qty)} upserted by {@code id}, or deleted.
 */
final class SinkChanges {
  private SinkChanges() {}

  /** Appends one batch of change records to a shard; returns its LSN. */
  static long append(GrpcClient client, String stream, long shard, List<String> changes) {
    List<HStreamRecord> records = new ArrayList<>();
    for (String change : changes) {
      records.add(HStreamRecords.json("k", HStreamRecords.structFromJson(change), Map.of()));
    }
    return client.append(stream, shard, GrpcClient.batch(records)).getRecordIds(0).getBatchId();
  }

  static String upsert(int id, String name, int qty) {
    return "{\"key\":{\"id\":"
        + id
        + "},\"value\":{\"id\":"
        + id
        + ",\"name\":"
        + (name == null ? "null" : "\"" + name + "\"")
        + ",\"qty\":"
        + qty
        + "},\"op\":\"u\"}";
  }

  static String delete(int id) {
    return "{\"key\":{\"id\":" + id + "},\"value\":null,\"op\":\"d\"}";
  }

  /**
   * {@code batches} batches of {@code perBatch} changes to ids below {@code keys}, a third of them
   * deletes; {@code expected} is kept as the table should end (id to "id|name|qty").
   */
  static List<List<String>> random(
      Random random, int batches, int perBatch, int keys, Map<Integer, String> expected) {
    List<List<String>> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<String> batch = new ArrayList<>();
      for (int r = 0; r < perBatch; r++) {
        int id = random.nextInt(keys);
        int step = b * perBatch + r;
        if (random.nextInt(3) == 0) {
          batch.add(delete(id));
          expected.remove(id);
        } else {
          batch.add(upsert(id, "v" + step, step));
          expected.put(id, id + "|v" + step + "|" + step);
        }
      }
      out.add(batch);
    }
    return out;
  }
}
