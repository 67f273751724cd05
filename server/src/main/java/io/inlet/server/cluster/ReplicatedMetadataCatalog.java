package io.inlet.server.cluster;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataException;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.store.MetadataCatalog;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The store's {@link MetadataCatalog} contract kept by the cluster's {@link ReplicatedMetadata}:
 * every mutation returns once a majority of the metadata nodes has it fsync'd, and every read is
 * linearizable, so what one node wrote is read on any other. A metadata group without a majority
 * answers {@link StoreUnavailableException} (nothing acknowledged), as a store that cannot write
 * does.
 */
public final class ReplicatedMetadataCatalog implements MetadataCatalog {
  private final ReplicatedMetadata metadata;

  public ReplicatedMetadataCatalog(ReplicatedMetadata metadata) {
    this.metadata = metadata;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    await(metadata.write(MetadataWrite.put(namespace, key, value)));
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return await(metadata.get(namespace, key, ReadMode.LINEARIZABLE)).map(MetadataEntry::value);
  }

  /** Deletes the version it read, so "held nothing" is exact even with concurrent writers. */
  @Override
  public boolean delete(String namespace, String key) {
    while (true) {
      Optional<MetadataEntry> current = await(metadata.get(namespace, key, ReadMode.LINEARIZABLE));
      if (current.isEmpty()) {
        return false;
      }
      try {
        await(
            metadata.write(
                MetadataWrite.in(namespace).delete(key, current.get().version()).build()));
        return true;
      } catch (VersionConflictException changedMeanwhile) {
        // Read again: it was replaced (delete that) or deleted (report false).
      }
    }
  }

  @Override
  public Map<String, byte[]> list(String namespace) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    await(metadata.list(namespace, ReadMode.LINEARIZABLE))
        .forEach((key, entry) -> values.put(key, entry.value()));
    return Collections.unmodifiableMap(values);
  }

  @Override
  public void apply(String namespace, Map<String, byte[]> puts, Iterable<String> deletes) {
    Set<String> deleted = new HashSet<>();
    deletes.forEach(deleted::add);
    MetadataWrite.Builder write = MetadataWrite.in(namespace);
    puts.forEach(
        (key, value) -> {
          if (!deleted.contains(key)) {
            write.put(key, value);
          }
        });
    deleted.forEach(write::delete);
    if (puts.isEmpty() && deleted.isEmpty()) {
      return;
    }
    await(metadata.write(write.build()));
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw storeFailure(e.getCause());
    }
  }

  /**
   * What a failed metadata call means to the store's callers: a version conflict and a bad argument
   * as they are, anything else as {@link StoreUnavailableException}.
   */
  static RuntimeException storeFailure(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof VersionConflictException conflict) {
      return conflict;
    }
    if (cause instanceof IllegalArgumentException bad) {
      return bad;
    }
    if (cause instanceof MetadataException unavailable) {
      return new StoreUnavailableException(unavailable.getMessage(), unavailable);
    }
    return new StoreUnavailableException("replicated metadata failed: " + cause, cause);
  }
}
