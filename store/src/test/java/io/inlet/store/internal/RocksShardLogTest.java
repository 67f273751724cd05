package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.RecordId;
import io.inlet.store.Entry;
import io.inlet.store.ShardPosition;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreException;
import io.inlet.store.StoreException.Reason;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksShardLogTest {
  @TempDir Path dir;

  /** Where the store under test keeps its entries; {@code Segment*Test} runs these on segments. */
  ShardStorage storage() {
    return ShardStorage.ROCKSDB;
  }

  RocksStreamStore store;
  long shardA;
  long shardB;

  @BeforeEach
  void open() {
    store = TestStores.open(dir, storage());
    StreamInfo stream = store.streams().create(new StreamSpec("orders", 2, 1, 0));
    shardA = stream.shards().get(0).shardId();
    shardB = stream.shards().get(1).shardId();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private AppendResult append(long shardId, String tag, int records) {
    return TestStores.await(store.log().append("orders", shardId, TestStores.batch(tag, records)));
  }

  @Test
  void appends_get_consecutive_lsns_per_shard_starting_at_1() {
    assertThat(append(shardA, "a1", 1).lsn()).isEqualTo(1);
    assertThat(append(shardA, "a2", 1).lsn()).isEqualTo(2);
    assertThat(append(shardB, "b1", 1).lsn()).isEqualTo(1);
    assertThat(append(shardA, "a3", 1).lsn()).isEqualTo(3);

    assertThat(store.log().position(shardA)).isEqualTo(new ShardPosition(1, 3));
    assertThat(store.log().position(shardB)).isEqualTo(new ShardPosition(1, 1));
  }

  @Test
  void append_returns_exactly_batch_size_record_ids() {
    AppendResult result = append(shardA, "a", 5);

    assertThat(result.streamName()).isEqualTo("orders");
    assertThat(result.shardId()).isEqualTo(shardA);
    assertThat(result.recordCount()).isEqualTo(5);
    List<RecordId> ids = result.recordIds();
    assertThat(ids).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(ids.get(i).getShardId()).isEqualTo(shardA);
      assertThat(ids.get(i).getBatchId()).isEqualTo(result.lsn());
      assertThat(ids.get(i).getBatchIndex()).isEqualTo(i);
    }
  }

  @Test
  void read_returns_the_batches_as_appended_in_lsn_order() {
    Entry first = TestStores.batch("first", 2);
    Entry second = TestStores.batch("second", 3);
    long before = System.currentTimeMillis();
    TestStores.await(store.log().append("orders", shardA, first));
    TestStores.await(store.log().append("orders", shardA, second));
    append(shardB, "other", 1);

    List<StoredEntry> batches = store.log().read(shardA, 1, 10);

    assertThat(batches).extracting(StoredEntry::lsn).containsExactly(1L, 2L);
    assertThat(batches).extracting(StoredEntry::shardId).containsOnly(shardA);
    assertThat(batches.get(0).entry()).isEqualTo(first);
    assertThat(batches.get(1).entry()).isEqualTo(second);
    assertThat(batches.get(0).appendTimeMs())
        .isBetween(before, System.currentTimeMillis())
        .isLessThanOrEqualTo(batches.get(1).appendTimeMs());
  }

  @Test
  void read_honours_from_lsn_and_max_batches() {
    for (int i = 1; i <= 5; i++) {
      append(shardA, "a" + i, 1);
    }

    assertThat(store.log().read(shardA, 2, 2)).extracting(StoredEntry::lsn).containsExactly(2L, 3L);
    assertThat(store.log().read(shardA, 4, 100))
        .extracting(StoredEntry::lsn)
        .containsExactly(4L, 5L);
    assertThat(store.log().read(shardA, 0, 1)).extracting(StoredEntry::lsn).containsExactly(1L);
    assertThat(store.log().read(shardA, 6, 10)).isEmpty();
    assertThat(store.log().read(shardA, 1, 0)).isEmpty();
    assertThat(store.log().read(shardB, 1, 10)).isEmpty();
  }

  @Test
  void append_to_an_unknown_stream_fails_with_STREAM_NOT_FOUND() {
    Throwable failure =
        TestStores.failure(store.log().append("nope", shardA, TestStores.batch("x", 1)));

    assertThat(failure).isInstanceOf(StoreException.class).hasMessageContaining("nope");
    assertThat(((StoreException) failure).reason()).isEqualTo(Reason.STREAM_NOT_FOUND);
  }

  @Test
  void append_to_a_shard_of_another_stream_fails_naming_the_shard() {
    store.streams().create(new StreamSpec("other", 1, 1, 0));

    Throwable failure =
        TestStores.failure(store.log().append("other", shardA, TestStores.batch("x", 1)));

    assertThat(failure)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("shard " + shardA)
        .hasMessageContaining("other");
    assertThat(((StoreException) failure).reason()).isEqualTo(Reason.SHARD_NOT_IN_STREAM);
    assertThat(store.log().position(shardA).lastLsn()).isZero();
  }

  @Test
  void unknown_shards_fail_with_SHARD_NOT_FOUND() {
    long unknown = 999_999;
    assertThatThrownBy(() -> store.log().position(unknown))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("999999");
    assertThatThrownBy(() -> store.log().read(unknown, 1, 1)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.log().lsnAtOrAfter(unknown, 0))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.log().trimBefore(unknown, 1)).isInstanceOf(StoreException.class);
    assertThat(TestStores.failure(store.log().awaitBeyond(unknown, 0)))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void lsnAtOrAfter_finds_the_first_batch_appended_at_or_after_a_time() {
    long[] times = new long[6];
    for (int i = 1; i <= 5; i++) {
      append(shardA, "a" + i, 1);
      times[i] = store.log().read(shardA, i, 1).get(0).appendTimeMs();
      // Let the clock tick so every batch has its own append time.
      long appended = times[i];
      TestStores.awaitCondition(
          "the clock to pass " + appended,
          java.time.Duration.ofSeconds(5),
          () -> System.currentTimeMillis() > appended);
    }

    assertThat(store.log().lsnAtOrAfter(shardA, 0)).isEqualTo(1);
    for (int i = 1; i <= 5; i++) {
      assertThat(store.log().lsnAtOrAfter(shardA, times[i])).isEqualTo(i);
      assertThat(store.log().lsnAtOrAfter(shardA, times[i] - 1)).isLessThanOrEqualTo(i);
    }
    assertThat(store.log().lsnAtOrAfter(shardA, times[5] + 1)).isEqualTo(6);
    assertThat(store.log().lsnAtOrAfter(shardB, 0)).isEqualTo(1);

    store.log().trimBefore(shardA, 3);
    assertThat(store.log().lsnAtOrAfter(shardA, 0)).isEqualTo(3);
  }

  @Test
  void appendAt_is_idempotent_and_refuses_gaps() {
    RocksShardLog log = store.shardLog();
    Entry one = TestStores.batch("one", 1);

    assertThat(TestStores.await(log.appendAt(shardA, 1, one)).lsn()).isEqualTo(1);
    // The same entry again (a replica re-applying it) is acknowledged without a second copy.
    assertThat(TestStores.await(log.appendAt(shardA, 1, one)).lsn()).isEqualTo(1);
    assertThat(TestStores.await(log.appendAt(shardA, 2, TestStores.batch("two", 1))).lsn())
        .isEqualTo(2);
    Throwable gap = TestStores.failure(log.appendAt(shardA, 5, TestStores.batch("five", 1)));
    assertThat(gap).hasMessageContaining("expects LSN 3");
    assertThat(TestStores.failure(log.appendAt(shardA, 0, one))).isInstanceOf(StoreException.class);

    assertThat(store.log().read(shardA, 1, 10))
        .extracting(b -> TestStores.firstPayload(b.entry()))
        .containsExactly("one-0", "two-0");
    assertThat(append(shardA, "next", 1).lsn()).isEqualTo(3);
  }
}
