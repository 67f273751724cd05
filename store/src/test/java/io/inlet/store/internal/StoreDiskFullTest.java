package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.Entry;
import io.inlet.store.ShardStorage;
import io.inlet.store.StreamSpec;
import io.inlet.testing.RequiredServices;
import io.inlet.testing.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fills a real (small tmpfs) file system. Mounting needs root; elsewhere the test is skipped, or
 * fails in CI ({@link RequiredServices}).
 */
class StoreDiskFullTest {
  @RegisterExtension final SmallTmpfs disk = SmallTmpfs.ofMegabytes(20 + roomMegabytes());

  ShardStorage storage() {
    return ShardStorage.ROCKSDB;
  }

  /** The room the store gets beside the test's 20 MiB filler. */
  int roomMegabytes() {
    return 12;
  }

  /** What the error says brings writes back, after "writes resume once the file system of". */
  String resumeCondition() {
    return " has [0-9.]+ MiB free \\(the WAL's [0-9.]+ MiB \\+ 4 MiB\\); it has [0-9.]+ MiB now";
  }

  @Test
  void a_full_disk_fails_appends_clearly_keeps_data_readable_and_recovers_when_freed()
      throws Exception {
    Path mount = disk.path();
    Path filler = mount.resolve("filler");
    Files.write(filler, new byte[20 << 20]);
    Path dataDir = mount.resolve("data");
    byte[] payload = new byte[64 << 10];
    new Random(7).nextBytes(payload); // incompressible
    Entry batch = new Entry(1, 0, ByteString.copyFrom(payload));

    try (RocksStreamStore store = TestStores.open(dataDir, storage())) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      long acked = 0;
      Throwable failure = null;
      while (failure == null && acked < 10_000) {
        CompletableFuture<AppendResult> append = store.log().append("s", shard, batch);
        try {
          append.get(30, TimeUnit.SECONDS);
          acked++;
        } catch (java.util.concurrent.ExecutionException e) {
          failure = e.getCause();
        }
      }

      assertThat(failure)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(dataDir.toString())
          .hasMessageContaining("disk is full")
          // It says what free space brings writes back, not only that they fail.
          .hasMessageMatching(
              "(?s).*writes resume once the file system of .*" + resumeCondition() + ".*");
      assertThat(store.writesRefused())
          .hasValueSatisfying(why -> assertThat(why).contains("writes resume once"));
      assertThat(acked).isPositive();
      // What was acknowledged stays readable; nothing unacknowledged shows.
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(acked);
      assertThat(store.log().read(shard, 1, Integer.MAX_VALUE)).hasSize((int) acked);
      // Retries fail the same way while the disk is full.
      assertThat(TestStores.failure(store.log().append("s", shard, batch)))
          .isInstanceOf(StoreUnavailableException.class);

      Files.delete(filler);

      long[] recovered = {0};
      TestStores.awaitCondition(
          "appends to succeed once space is freed",
          Duration.ofSeconds(30),
          () -> {
            try {
              recovered[0] = store.log().append("s", shard, batch).get(30, TimeUnit.SECONDS).lsn();
              return true;
            } catch (Exception e) {
              return false;
            }
          });
      assertThat(store.writesRefused()).isEmpty();
      // LSNs go on right after the last acknowledged one: failed appends took none.
      long next = acked + 1;
      assertThat(recovered[0]).isEqualTo(next);
      assertThat(store.log().read(shard, 1, Integer.MAX_VALUE)).hasSize((int) next);
    }

    try (RocksStreamStore store = TestStores.open(dataDir, storage())) {
      long shard = store.streams().get("s").orElseThrow().shards().get(0).shardId();
      assertThat(store.log().read(shard, 1, Integer.MAX_VALUE))
          .hasSize((int) store.log().position(shard).lastLsn());
    }
  }
}
