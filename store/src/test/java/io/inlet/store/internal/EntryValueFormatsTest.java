package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.store.DamagedDataException;
import io.inlet.store.Entry;
import io.inlet.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values on disk: this version writes format 2 (header, then the entry's bytes) and still reads
 * format 1 (append time, then a serialized HStreamDB BatchedRecord), which data directories of
 * earlier versions hold, so that nothing acknowledged before an upgrade is lost by it.
 */
class EntryValueFormatsTest {
  @TempDir Path dir;

  @Test
  void values_written_in_format_1_are_read_as_entries_after_an_upgrade() throws Exception {
    long shard;
    try (RocksStreamStore store = TestStores.open(dir)) {
      shard = TestStores.oneShardWithBatches(store, 3);
      // What an earlier version left at these LSNs: format 1, a real serialized BatchedRecord.
      for (long lsn = 1; lsn <= 3; lsn++) {
        put(store, shard, lsn, formatOne(1_000L * lsn, legacyBatch(lsn)));
      }
      putMeta(store, RecoveryCheck.FORMAT_KEY, Bytes.ofLong(1));
    }

    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(3);
      TestStores.await(store.log().append("s", shard, TestStores.batch("new", 2)));

      List<StoredEntry> all = TestStores.readAll(store, shard);
      assertThat(all).extracting(StoredEntry::lsn).containsExactly(1L, 2L, 3L, 4L);
      for (int i = 0; i < 3; i++) {
        long lsn = i + 1;
        StoredEntry old = all.get(i);
        assertThat(old.appendTimeMs()).isEqualTo(1_000L * lsn);
        assertThat(old.entry())
            .isEqualTo(
                new Entry(
                    (int) lsn + 1,
                    CompressionType.Zstd_VALUE,
                    ByteString.copyFromUtf8("records of batch " + lsn)));
      }
      assertThat(all.get(3).entry()).isEqualTo(TestStores.batch("new", 2));
      assertThat(store.log().lsnAtOrAfter(shard, 1_500)).isEqualTo(2);
      assertThat(
              Bytes.getLong(
                  store.database().db().get(store.database().meta(), RecoveryCheck.FORMAT_KEY), 0))
          .as("the store format is raised, so an older Inlet refuses the directory")
          .isEqualTo(2);
    }
  }

  @Test
  void a_format_1_value_whose_batch_does_not_parse_is_damaged() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = TestStores.oneShardWithBatches(store, 2);
      // payload (field 4) claiming 2^31 bytes
      byte[] lying = {0x22, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
      put(store, shard, 2, formatOne(5, lying));

      assertThat(store.log().read(shard, 1, 10)).extracting(StoredEntry::lsn).containsExactly(1L);
      assertThatThrownBy(() -> store.log().read(shard, 2, 10))
          .isInstanceOf(DamagedDataException.class)
          .hasMessageContaining("batch 2 of shard " + shard)
          .hasMessageContaining("does not parse");
    }
  }

  @Test
  void a_format_2_value_shorter_than_its_header_is_damaged() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = TestStores.oneShardWithBatches(store, 1);
      put(store, shard, 1, new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0});

      assertThatThrownBy(() -> store.log().read(shard, 1, 10))
          .isInstanceOf(DamagedDataException.class)
          .hasMessageContaining("less than a format 2 header");
    }
  }

  @Test
  void an_entry_keeps_its_record_count_format_and_bytes_exactly() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      long shard = TestStores.oneShardWithBatches(store, 0);
      // the largest unsigned count and format, and an empty payload: the store checks none of them
      Entry odd = new Entry(-1, Entry.MAX_FORMAT, ByteString.EMPTY);
      TestStores.await(store.log().append("s", shard, odd));

      assertThat(store.log().read(shard, 1, 1).get(0).entry()).isEqualTo(odd);
    }
  }

  private static BatchedRecord legacyBatch(long lsn) {
    return BatchedRecord.newBuilder()
        .setCompressionType(CompressionType.Zstd)
        .setPublishTime(Timestamp.newBuilder().setSeconds(42))
        .setBatchSize((int) lsn + 1)
        .setPayload(ByteString.copyFromUtf8("records of batch " + lsn))
        .build();
  }

  private static byte[] formatOne(long appendTimeMs, BatchedRecord batch) {
    return formatOne(appendTimeMs, batch.toByteArray());
  }

  private static byte[] formatOne(long appendTimeMs, byte[] serialized) {
    return ByteBuffer.allocate(9 + serialized.length)
        .put((byte) 1)
        .putLong(appendTimeMs)
        .put(serialized)
        .array();
  }

  private static void putMeta(RocksStreamStore store, byte[] key, byte[] value) {
    try {
      store.database().db().put(store.database().meta(), key, value);
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
  }

  private static void put(RocksStreamStore store, long shard, long lsn, byte[] value) {
    try {
      store.database().db().put(store.database().data(), DataKeys.key(shard, lsn), value);
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
  }
}
