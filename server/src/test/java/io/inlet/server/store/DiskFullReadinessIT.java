package io.inlet.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import io.inlet.testing.RequiredServices;
import io.inlet.testing.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose disk fills up says so: appends fail with UNAVAILABLE naming the free space that
 * brings writes back, and /ready answers 503 until they resume. Needs root to mount a small tmpfs
 * (skipped elsewhere, a failure in CI: {@link RequiredServices}).
 */
class DiskFullReadinessIT {
  @RegisterExtension final SmallTmpfs disk = SmallTmpfs.ofMegabytes(128);

  @Test
  void a_full_disk_makes_the_node_not_ready_and_says_what_free_space_brings_writes_back()
      throws Exception {
    Path mount = disk.path();
    Path filler = mount.resolve("filler");
    try (InletServer server = TestServers.start(mount.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("s", 1);
      long shard = client.shardIds("s").get(0);
      assertThat(TestServers.ready(server)).isEqualTo(200);
      // Leave a few MiB: the appends below take them.
      long room = Files.getFileStore(mount).getUsableSpace() - (6 << 20);
      Files.write(filler, new byte[(int) Math.max(0, room)]);

      StatusRuntimeException refused = null;
      for (int i = 0; i < 10_000 && refused == null; i++) {
        try {
          client.append("s", shard, incompressible(i));
        } catch (StatusRuntimeException e) {
          refused = e;
        }
      }

      assertThat(refused).as("appends fail once the disk is full").isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getStatus().getDescription())
          .contains("disk is full")
          .containsPattern("writes resume once the file system of .* has [0-9.]+ MiB free");
      Await.until(
          "/ready to answer 503", Duration.ofSeconds(60), () -> TestServers.ready(server) == 503);
      assertThat(TestServers.httpGet(server, "/ready").body())
          .contains("\"ready\":false")
          .contains("\"store\":\"refusing writes\"")
          .contains("writes resume once");

      Files.delete(filler);

      Await.until(
          "/ready to answer 200 once space is freed",
          Duration.ofSeconds(60),
          () -> TestServers.ready(server) == 200);
      assertThat(client.append("s", shard, incompressible(-1)).getRecordIdsCount()).isEqualTo(1);
    }
  }

  private static BatchedRecord incompressible(int seed) {
    byte[] payload = new byte[256 << 10];
    new Random(seed).nextBytes(payload);
    return RecordBatches.encode(
        List.of(HStreamRecords.raw("k", payload, Map.of())), CompressionType.None);
  }
}
