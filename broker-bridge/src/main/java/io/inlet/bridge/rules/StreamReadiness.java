package io.inlet.bridge.rules;

import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs appends once their stream exists, creating it first (off the caller's thread) when the rule
 * auto-creates streams. Appends that wait for a stream being created run in arrival order, before
 * any later append to that stream, so a publisher's order survives the creation.
 */
final class StreamReadiness {
  private static final Logger log = LoggerFactory.getLogger(StreamReadiness.class);

  private final StreamProvisioner provisioner;
  private final Executor creator;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final Map<String, Queue<Waiting<?>>> creating = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  private record Waiting<T>(Supplier<CompletableFuture<T>> action, CompletableFuture<T> result) {
    void run() {
      try {
        action.get().whenComplete(this::complete);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    private void complete(T value, Throwable failure) {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(value);
      }
    }
  }

  StreamReadiness(StreamProvisioner provisioner, Executor creator) {
    this.provisioner = provisioner;
    this.creator = creator;
  }

  /**
   * Runs {@code append} now when the rule's stream exists, else once it is created (auto-create on)
   * or fails with {@code StreamNotFound} (auto-create off).
   */
  <T> CompletableFuture<T> whenReady(MappingRule rule, Supplier<CompletableFuture<T>> append) {
    String stream = rule.stream();
    if (ready.contains(stream)) {
      return append.get();
    }
    CompletableFuture<T> result;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new StoreUnavailableException("MQTT ingestion is shutting down"));
      }
      Queue<Waiting<?>> queue = creating.get(stream);
      if (queue == null) {
        if (provisioner.exists(stream)) {
          ready.add(stream);
          queue = null;
        } else if (!rule.autoCreateStream()) {
          return CompletableFuture.failedFuture(missing(rule));
        } else {
          queue = new ArrayDeque<>();
          creating.put(stream, queue);
          startCreating(rule);
        }
      }
      if (queue != null) {
        result = new CompletableFuture<>();
        queue.add(new Waiting<>(append, result));
        return result;
      }
    }
    return append.get();
  }

  /** Forgets that the stream exists (it was deleted); the next append checks again. */
  void forget(String stream) {
    ready.remove(stream);
  }

  private void startCreating(MappingRule rule) {
    try {
      creator.execute(() -> create(rule));
    } catch (RejectedExecutionException e) {
      finish(rule.stream(), new StoreUnavailableException("MQTT ingestion is shutting down", e));
    }
  }

  private void create(MappingRule rule) {
    Throwable failure = null;
    try {
      provisioner.create(rule.stream(), rule.shardCount());
      log.info(
          "created stream {} ({} shard{}) for rule \"{}\"",
          rule.stream(),
          rule.shardCount(),
          rule.shardCount() == 1 ? "" : "s",
          rule.name());
    } catch (RuntimeException e) {
      log.warn(
          "cannot create stream {} for rule \"{}\": {}",
          rule.stream(),
          rule.name(),
          e.getMessage());
      failure = e;
    }
    finish(rule.stream(), failure);
  }

  private void finish(String stream, Throwable failure) {
    List<Waiting<?>> failed = new ArrayList<>();
    synchronized (this) {
      Queue<Waiting<?>> queue = creating.remove(stream);
      if (queue == null) {
        return;
      }
      if (failure == null) {
        // Appends only enqueue work in the store, so running them under the lock is cheap, and it
        // keeps later appends (which see the stream ready only afterwards) behind these.
        queue.forEach(Waiting::run);
        ready.add(stream);
      } else {
        failed.addAll(queue);
      }
    }
    failed.forEach(w -> w.result().completeExceptionally(failure));
  }

  /** Fails every append still waiting for a stream. */
  void close() {
    List<Waiting<?>> failed = new ArrayList<>();
    synchronized (this) {
      closed = true;
      creating.values().forEach(failed::addAll);
      creating.clear();
    }
    StoreUnavailableException shutdown =
        new StoreUnavailableException("MQTT ingestion is shutting down");
    failed.forEach(w -> w.result().completeExceptionally(shutdown));
  }

  static InletException missing(MappingRule rule) {
    return new InletException(
        ErrorCode.StreamNotFound,
        "stream \""
            + rule.stream()
            + "\" of rule \""
            + rule.name()
            + "\" does not exist and the rule does not create it (auto-create is off)");
  }
}
