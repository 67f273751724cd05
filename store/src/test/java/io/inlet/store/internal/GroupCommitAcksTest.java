package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.append.AppendResult;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where acks run: a lone group's acks may run on the writer thread itself (AckDispatch). */
class GroupCommitAcksTest {
  @TempDir Path dir;

  @Test
  void an_ack_callback_may_delete_the_stream_it_appended_to() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      StreamInfo stream = store.streams().create(new StreamSpec("s", 1, 1, 0));
      long shard = stream.shards().get(0).shardId();
      // Deleting runs on the writer thread after the appends before it; called from an ack the
      // writer runs itself, it must not wait for the writer (that would never come back).
      CompletableFuture<Boolean> deleted =
          store
              .log()
              .append("s", shard, TestStores.batch("lone", 1))
              .thenApply(result -> store.streams().delete("s", true));
      assertThat(TestStores.await(deleted)).isTrue();
      assertThat(store.streams().get("s")).isEmpty();
    }
  }

  @Test
  void lone_appends_one_after_another_are_acked_in_order_with_consecutive_lsns() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      StreamInfo stream = store.streams().create(new StreamSpec("s", 1, 1, 0));
      long shard = stream.shards().get(0).shardId();
      List<Long> acked = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        AppendResult result =
            TestStores.await(store.log().append("s", shard, TestStores.batch("a" + i, 1)));
        acked.add(result.lsn());
      }
      for (int i = 0; i < acked.size(); i++) {
        assertThat(acked.get(i)).isEqualTo(i + 1L);
      }
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(50);
    }
  }
}
