package io.inlet.bench.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Named daemon threads of a load, started together and joined together. */
final class Workers {
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code count} threads named {@code name-i}, each running {@code body(i)}. */
  void start(String name, int count, IntConsumer body) {
    for (int i = 0; i < count; i++) {
      int index = i;
      Thread thread = new Thread(() -> body.accept(index), name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Waits up to a minute for each thread (they end on their own once told to stop). */
  void join() {
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
