package io.inlet.server.testing.clusterkill;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Named client threads that run until {@link #stop}; a pause ends early when they stop. */
final class LoadThreads {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  synchronized void start(String name, Runnable body) {
    Thread thread = new Thread(body, "drill-" + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  boolean stopping() {
    return stop.getCount() == 0;
  }

  /** Waits {@code millis} or until stopped. */
  void pause(long millis) {
    try {
      stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every thread and waits for it (each finishes the attempt it is in). */
  void stop() throws InterruptedException {
    stop.countDown();
    List<Thread> all;
    synchronized (this) {
      all = List.copyOf(threads);
    }
    for (Thread thread : all) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop within 60 s");
      }
    }
  }
}
