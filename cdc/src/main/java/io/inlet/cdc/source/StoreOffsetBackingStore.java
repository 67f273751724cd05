package io.inlet.cdc.source;

import io.inlet.api.state.KeyValueStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Debezium's source offsets in the node's {@link KeyValueStore} (one namespace per connector), not
 * in a file. {@link #set} returns only once the offsets are durable. The engine calls it only for
 * offsets of records the connector has marked processed, which {@link OffsetCommitQueue} does only
 * once the records are durable in the stream: an offset never runs ahead of the stream.
 */
public final class StoreOffsetBackingStore implements OffsetBackingStore {
  private final Map<ByteBuffer, ByteBuffer> data = new ConcurrentHashMap<>();
  private KeyValueStore store;
  private String namespace;
  private volatile ExecutorService executor;

  public StoreOffsetBackingStore() {}

  @Override
  public void configure(WorkerConfig config) {
    Object id = config.originals().get(StateHandles.KEY);
    var space = StateHandles.lookup(id == null ? null : id.toString());
    store = space.store();
    namespace = space.offsets();
  }

  @Override
  public void start() {
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-cdc-offsets-" + namespace);
              t.setDaemon(true);
              return t;
            });
    store.list(namespace).forEach((key, value) -> data.put(decode(key), ByteBuffer.wrap(value)));
  }

  @Override
  public void stop() {
    if (executor != null) {
      executor.shutdown();
      executor = null;
    }
  }

  @Override
  public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
    Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
    for (ByteBuffer key : keys) {
      result.put(key, data.get(key));
    }
    return java.util.concurrent.CompletableFuture.completedFuture(result);
  }

  @Override
  public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
    Map<ByteBuffer, ByteBuffer> copy = new HashMap<>(values);
    ExecutorService writer = executor;
    if (writer == null) {
      IllegalStateException stopped = new IllegalStateException("offset store is stopped");
      if (callback != null) {
        callback.onCompletion(stopped, null);
      }
      return java.util.concurrent.CompletableFuture.failedFuture(stopped);
    }
    return writer.submit(
        () -> {
          Map<String, byte[]> puts = new HashMap<>();
          List<String> deletes = new ArrayList<>();
          copy.forEach(
              (key, value) -> {
                if (value == null) {
                  deletes.add(encode(key));
                } else {
                  puts.put(encode(key), bytes(value));
                }
              });
          try {
            store.apply(namespace, puts, deletes);
          } catch (RuntimeException e) {
            if (callback != null) {
              callback.onCompletion(e, null);
            }
            throw e;
          }
          copy.forEach(
              (key, value) -> {
                if (value == null) {
                  data.remove(key);
                } else {
                  data.put(key, value);
                }
              });
          if (callback != null) {
            callback.onCompletion(null, null);
          }
          return null;
        });
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of();
  }

  private static String encode(ByteBuffer key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(key));
  }

  private static ByteBuffer decode(String key) {
    return ByteBuffer.wrap(Base64.getUrlDecoder().decode(key));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
