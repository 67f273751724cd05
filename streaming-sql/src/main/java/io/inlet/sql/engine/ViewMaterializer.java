package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.read.ShardBatch;
import io.inlet.api.read.StreamReader;
import io.inlet.api.record.RecordBatches;
import io.inlet.api.state.KeyValueStore;
import io.inlet.sql.flink.JsonRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a view's rows in the node's store from its query's changelog stream. The view is a multiset
 * of rows: an insert or an update's new row adds one, an update's old row or a delete removes one.
 * Rows, read positions and the last change number applied per writer go into the view's namespace
 * in one atomic write per batch, so a crash never applies a change twice, and a change the query
 * writes again after a restore (same writer and number) is dropped.
 */
final class ViewMaterializer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ViewMaterializer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ROW = "r/";
  private static final String POSITION = "p/";
  private static final String SEQ = "s/";

  private final String view;
  private final String changelog;
  private final List<String> columns;
  private final KeyValueStore store;
  private final StreamReader reader;
  private final String namespace;
  private final Thread thread;
  private volatile boolean closed;

  ViewMaterializer(
      String view,
      String changelog,
      List<String> columns,
      KeyValueStore store,
      StreamReader reader) {
    this.view = view;
    this.changelog = changelog;
    this.columns = List.copyOf(columns);
    this.store = store;
    this.reader = reader;
    this.namespace = SqlState.viewNamespace(view);
    this.thread = new Thread(this::run, "inlet-sql-view-" + view);
    thread.setDaemon(true);
  }

  ViewMaterializer start() {
    thread.start();
    return this;
  }

  /** The view's rows, in no particular order. */
  static List<ObjectNode> rows(KeyValueStore store, String view) {
    List<ObjectNode> out = new ArrayList<>();
    store
        .list(SqlState.viewNamespace(view))
        .forEach(
            (key, value) -> {
              if (!key.startsWith(ROW)) {
                return;
              }
              long count = Long.parseLong(new String(value, StandardCharsets.UTF_8));
              try {
                ObjectNode row = (ObjectNode) JSON.readTree(key.substring(ROW.length()));
                for (long i = 0; i < count; i++) {
                  out.add(row);
                }
              } catch (IOException e) {
                log.warn("view \"{}\": a stored row does not decode: {}", view, e.getMessage());
              }
            });
    return out;
  }

  static void clear(KeyValueStore store, String view) {
    String ns = SqlState.viewNamespace(view);
    store.apply(ns, Map.of(), store.list(ns).keySet());
  }

  private void run() {
    Map<String, byte[]> stored = store.list(namespace);
    Map<String, Long> counts = new HashMap<>();
    Map<Long, Long> positions = new HashMap<>();
    Map<String, Long> seqs = new HashMap<>();
    stored.forEach(
        (k, v) -> {
          long n = Long.parseLong(new String(v, StandardCharsets.UTF_8));
          if (k.startsWith(ROW)) {
            counts.put(k, n);
          } else if (k.startsWith(POSITION)) {
            positions.put(Long.parseLong(k.substring(POSITION.length())), n);
          } else if (k.startsWith(SEQ)) {
            seqs.put(k.substring(SEQ.length()), n);
          }
        });
    while (!closed) {
      try {
        boolean any = false;
        for (long shard : reader.shards(changelog)) {
          long from = positions.getOrDefault(shard, 1L);
          List<ShardBatch> batches = reader.read(shard, from, 64);
          if (batches.isEmpty()) {
            continue;
          }
          any = true;
          Map<String, byte[]> puts = new LinkedHashMap<>();
          List<String> deletes = new ArrayList<>();
          for (ShardBatch batch : batches) {
            for (HStreamRecord record : RecordBatches.decode(batch.batch())) {
              apply(record, counts, seqs, puts, deletes);
            }
            positions.put(shard, batch.lsn() + 1);
          }
          puts.put(POSITION + shard, bytes(positions.get(shard)));
          seqs.forEach((w, s) -> puts.put(SEQ + w, bytes(s)));
          deletes.removeIf(puts::containsKey);
          store.apply(namespace, puts, deletes);
        }
        if (!any) {
          awaitAny(positions);
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("view \"{}\": materializing failed, retrying: {}", view, e.toString());
        sleep(1000);
      }
    }
  }

  private void apply(
      HStreamRecord record,
      Map<String, Long> counts,
      Map<String, Long> seqs,
      Map<String, byte[]> puts,
      List<String> deletes) {
    Map<String, String> attributes = record.getHeader().getAttributesMap();
    String writer = attributes.getOrDefault("__writer", "0");
    long seq = Long.parseLong(attributes.getOrDefault("__seq", "0"));
    if (seq <= seqs.getOrDefault(writer, 0L)) {
      return; // written again after the query was restored: applied already
    }
    seqs.put(writer, seq);
    Struct struct;
    try {
      struct = Struct.parseFrom(record.getPayload());
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    String key = ROW + canonical(JsonRows.fromStruct(struct));
    String op = attributes.getOrDefault("__op", "+I");
    long n = counts.getOrDefault(key, 0L) + (op.startsWith("-") ? -1 : 1);
    if (n <= 0) {
      counts.remove(key);
      puts.remove(key);
      deletes.add(key);
    } else {
      counts.put(key, n);
      puts.put(key, bytes(n));
      deletes.remove(key);
    }
  }

  private String canonical(ObjectNode row) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String c : columns) {
      JsonNode v = row.get(c);
      out.set(c, v == null ? JsonNodeFactory.instance.nullNode() : v);
    }
    return out.toString();
  }

  private void awaitAny(Map<Long, Long> positions) {
    List<Long> shards = reader.shards(changelog);
    if (shards.isEmpty()) {
      sleep(200);
      return;
    }
    long shard = shards.get(0);
    try {
      reader
          .awaitBeyond(shard, positions.getOrDefault(shard, 1L) - 1)
          .get(200, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // poll the other shards
    } catch (Exception e) {
      sleep(200);
    }
  }

  private static byte[] bytes(long n) {
    return Long.toString(n).getBytes(StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
