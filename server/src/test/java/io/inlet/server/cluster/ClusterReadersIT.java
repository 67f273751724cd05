package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.ListShardReadersRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shard readers in the cluster (issue 12): three nodes in one JVM, a stream with replication factor
 * 3. A reader created through one node is listed, read and deleted through every node; each read
 * goes on where the last one left it, whichever node served that; of two reads through two nodes at
 * once, the one that loses the race hands nothing out (UNAVAILABLE), so no batch is handed out
 * twice; the reader outlives the node it was created through. Before, a reader lived in the local
 * store of the node that created it, and every other node answered that it did not exist.
 */
class ClusterReadersIT {
  private static final int BATCHES = 12;

  @TempDir Path dir;

  @Test
  void a_reader_is_read_through_every_node_and_outlives_the_node_it_was_created_through()
      throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, Map.of())) {
      GrpcClient first = cluster.client(1);
      first.createReplicatedStream("readings", 1, 3);
      long shard = first.shardIds("readings").get(0);
      Await.until(
          "the shard has a leader",
          LocalCluster.CONVERGE,
          () -> succeeds(() -> first.stub().lookupShard(lookup(shard))));
      for (int i = 0; i < BATCHES; i++) {
        first.append("readings", shard, "b" + i + "-", 1);
      }
      first
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setStreamName("readings")
                  .setShardId(shard)
                  .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                  .setTimeout(200)
                  .setReaderId("r1")
                  .build());
      for (int node = 1; node <= 3; node++) {
        assertThat(
                cluster
                    .client(node)
                    .stub()
                    .listShardReaders(ListShardReadersRequest.getDefaultInstance())
                    .getReaderIdList())
            .as("readers listed by node %d", node)
            .containsExactly("r1");
      }

      // Each read goes on where the last one left the reader, whichever node served it.
      assertThat(read(cluster.client(2), 3)).containsExactly("b0-0", "b1-0", "b2-0");
      assertThat(read(cluster.client(3), 3)).containsExactly("b3-0", "b4-0", "b5-0");

      // Read through two nodes at once: every batch is handed out once, in order per reader
      // position; a node that lost the race hands nothing out (UNAVAILABLE) and the client reads
      // again.
      List<String> raced = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger conflicts = new AtomicInteger();
      ExecutorService racers = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int node : List.of(2, 3)) {
          done.add(
              racers.submit(
                  () -> {
                    while (raced.size() < BATCHES - 6) {
                      try {
                        raced.addAll(read(cluster.client(node), 1));
                      } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        conflicts.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(2, TimeUnit.MINUTES);
        }
      } finally {
        racers.shutdownNow();
      }
      System.out.printf("reads through two nodes at once: %d lost the race%n", conflicts.get());
      assertThat(raced).containsExactlyInAnyOrder("b6-0", "b7-0", "b8-0", "b9-0", "b10-0", "b11-0");
      for (int i = BATCHES; i < BATCHES + 3; i++) {
        first.append("readings", shard, "b" + i + "-", 1);
      }

      // The node it was created through stops: the reader goes on through the others.
      cluster.stop(1);
      AtomicReference<List<String>> next = new AtomicReference<>();
      Await.until(
          "node 3 reads the reader after node 1 stopped",
          LocalCluster.CONVERGE,
          () -> succeeds(() -> next.set(read(cluster.client(3), 3))));
      assertThat(next.get()).containsExactly("b12-0", "b13-0", "b14-0");

      cluster
          .client(2)
          .stub()
          .deleteShardReader(DeleteShardReaderRequest.newBuilder().setReaderId("r1").build());
      assertThat(
              cluster
                  .client(3)
                  .stub()
                  .listShardReaders(ListShardReadersRequest.getDefaultInstance())
                  .getReaderIdList())
          .isEmpty();
      Throwable gone = catchThrowable(() -> read(cluster.client(3), 1));
      assertThat(((StatusRuntimeException) gone).getStatus().getCode())
          .isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  private static List<String> read(GrpcClient client, int maxBatches) {
    List<String> payloads = new ArrayList<>();
    for (ReceivedRecord received :
        client
            .stub()
            .readShard(
                ReadShardRequest.newBuilder().setReaderId("r1").setMaxRecords(maxBatches).build())
            .getReceivedRecordsList()) {
      RecordBatches.decode(received.getRecord())
          .forEach(r -> payloads.add(r.getPayload().toStringUtf8()));
    }
    return payloads;
  }

  private static LookupShardRequest lookup(long shard) {
    return LookupShardRequest.newBuilder().setShardId(shard).build();
  }

  private static boolean succeeds(Runnable call) {
    try {
      call.run();
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }
}
