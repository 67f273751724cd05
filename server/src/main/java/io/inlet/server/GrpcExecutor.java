package io.inlet.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor gRPC calls (and blocking reads) run on: {@code inlet-grpc-N} threads. */
final class GrpcExecutor {
  private GrpcExecutor() {}

  static ExecutorService create() {
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "inlet-grpc-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
  }

  /** Closes {@code executor}: running tasks get {@code timeout}, then are interrupted. */
  static AutoCloseable closer(ExecutorService executor, Duration timeout) {
    return () -> {
      executor.shutdown();
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    };
  }
}
