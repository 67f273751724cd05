package io.inlet.cdc.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TransactionPipelineTest {

  @Test
  void transactions_are_applied_one_at_a_time_in_the_order_handed_over() throws Exception {
    List<Integer> applied = new CopyOnWriteArrayList<>();
    try (TransactionPipeline<Integer> pipeline = new TransactionPipeline<>("t", 2, applied::add)) {
      for (int i = 0; i < 500; i++) {
        pipeline.submit(i);
      }
      while (applied.size() < 500) {
        pipeline.throwIfFailed();
        Thread.sleep(1);
      }
    }
    assertThat(applied).isSorted().hasSize(500).doesNotHaveDuplicates();
  }

  @Test
  void a_failed_transaction_stops_every_later_one_and_is_reported_to_the_loop() throws Exception {
    List<Integer> committed = new CopyOnWriteArrayList<>();
    CountDownLatch failing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TransactionPipeline<Integer> pipeline =
        new TransactionPipeline<>(
            "t",
            2,
            n -> {
              if (n == 2) {
                failing.countDown();
                release.await();
                throw new SQLException("connection lost", "08006");
              }
              committed.add(n);
            });
    pipeline.submit(1);
    pipeline.submit(2);
    failing.await();
    // 3 and 4 wait behind the failing transaction.
    pipeline.submit(3);
    pipeline.submit(4);
    release.countDown();
    assertThatThrownBy(
            () -> {
              for (int n = 5; ; n++) {
                pipeline.submit(n);
              }
            })
        .isInstanceOf(TransactionPipeline.SinkWriteException.class)
        .hasRootCauseMessage("connection lost");
    assertThatThrownBy(pipeline::throwIfFailed)
        .isInstanceOf(TransactionPipeline.SinkWriteException.class);
    pipeline.close();
    assertThat(committed).containsExactly(1);
  }

  @Test
  void closing_waits_for_the_transaction_in_progress_and_drops_the_waiting_ones() throws Exception {
    List<Integer> committed = new CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TransactionPipeline<Integer> pipeline =
        new TransactionPipeline<>(
            "t",
            2,
            n -> {
              if (n == 1) {
                started.countDown();
                release.await();
              }
              committed.add(n);
            });
    pipeline.submit(1);
    started.await();
    pipeline.submit(2);
    pipeline.submit(3);
    Thread closer =
        new Thread(
            () -> {
              try {
                pipeline.close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    closer.start();
    while (closer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }
    release.countDown();
    closer.join();
    assertThat(committed).containsExactly(1);
  }
}
