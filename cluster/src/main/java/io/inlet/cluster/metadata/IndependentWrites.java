package io.inlet.cluster.metadata;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * Sends each metadata write as a request of its own (Ratis' blocking API, on a few threads of this
 * class), never through the client's ordered asynchronous stream.
 *
 * <p>Why: Ratis' ordered stream fails every pending request and stays closed for good once one of
 * its requests runs out of retries (a write sent while the group had no majority), so every later
 * write of that node would fail at once until the process restarts. Metadata writes are few and
 * independent (each carries its own expected versions), so they need no ordering among themselves.
 */
final class IndependentWrites implements AutoCloseable {
  private static final int THREADS = 4;

  private final RaftClient client;
  private final ExecutorService threads;

  IndependentWrites(RaftClient client, int nodeId) {
    this.client = client;
    AtomicInteger next = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread =
                  new Thread(task, "metadata-write-" + nodeId + "-" + next.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * The reply to {@code message}, once the group answered or the client's retries (bounded by the
   * request timeout) ran out; failed with an {@link IOException} cause then.
   */
  CompletableFuture<RaftClientReply> send(Message message) {
    try {
      return CompletableFuture.supplyAsync(() -> sendNow(message), threads);
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(new IOException("the metadata client is closed"));
    }
  }

  private RaftClientReply sendNow(Message message) {
    try {
      return client.io().send(message);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
