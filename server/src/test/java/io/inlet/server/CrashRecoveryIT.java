package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.hstream.RecordId;
import io.inlet.server.testing.AppendLoad;
import io.inlet.server.testing.AppendLoad.Acked;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load loses nothing that was acknowledged: every acked record is there after a
 * restart, with the same id and bytes, in order per shard.
 */
class CrashRecoveryIT {
  private static final int APPENDERS = 16;
  private static final int SHARDS = 4;
  private static final String STREAM = "crash";

  @TempDir Path dir;

  @Test
  void every_acknowledged_record_survives_kill_9() throws Exception {
    Path data = dir.resolve("data");
    List<Long> shards;
    List<Acked> acked;
    try (InletProcess first = InletProcess.start(dir.resolve("run1"), data)) {
      first.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(first.grpcPort())) {
        client.createStream(STREAM, SHARDS);
        shards = client.shardIds(STREAM);
        AppendLoad load = AppendLoad.start(client, STREAM, shards, APPENDERS);
        // kill mid-load: once enough batches are acknowledged, with appenders still running
        load.awaitBatches(400, Duration.ofSeconds(60));
        first.kill();
        acked = load.stop();
      }
    }
    assertThat(acked).isNotEmpty();

    try (InletProcess second = InletProcess.start(dir.resolve("run2"), data)) {
      second.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(second.grpcPort())) {
        assertThat(client.shardIds(STREAM)).isEqualTo(shards);
        Map<Long, List<Acked>> stored = new HashMap<>();
        for (long shard : shards) {
          stored.put(shard, AppendLoad.readAll(client, shard));
        }
        Map<RecordId, ByteString> byId = new HashMap<>();
        Map<RecordId, Integer> position = new HashMap<>();
        for (List<Acked> records : stored.values()) {
          for (int i = 0; i < records.size(); i++) {
            byId.put(records.get(i).id(), records.get(i).payload());
            position.put(records.get(i).id(), i);
          }
        }
        Map<Long, List<Acked>> ackedPerShard = new HashMap<>();
        for (Acked a : acked) {
          assertThat(byId).as("acknowledged record %s is stored", a.id()).containsKey(a.id());
          assertThat(byId.get(a.id())).as("bytes of %s", a.id()).isEqualTo(a.payload());
          ackedPerShard.computeIfAbsent(a.id().getShardId(), k -> new ArrayList<>()).add(a);
        }
        for (List<Acked> list : ackedPerShard.values()) {
          list.sort(
              (x, y) ->
                  x.id().getBatchId() != y.id().getBatchId()
                      ? Long.compare(x.id().getBatchId(), y.id().getBatchId())
                      : Integer.compare(x.id().getBatchIndex(), y.id().getBatchIndex()));
          for (int i = 1; i < list.size(); i++) {
            assertThat(position.get(list.get(i).id()))
                .as("stored order follows record ids")
                .isGreaterThan(position.get(list.get(i - 1).id()));
          }
        }
        // Record ids are never handed out twice: the next append of each shard is above them all.
        for (Map.Entry<Long, Long> highest : AppendLoad.highestLsns(acked).entrySet()) {
          long next =
              client.append(STREAM, highest.getKey(), "after", 1).getRecordIds(0).getBatchId();
          assertThat(next).isGreaterThan(highest.getValue());
        }
      }
      second.stop(Duration.ofSeconds(30));
    }
  }
}
