package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.cluster.ClusterConfigKeys;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.server.testing.TestServers;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.testing.Await;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a node outside {@code metadata-nodes} finds streams: its append path reuses a stream it read
 * recently instead of asking the metadata group on every append (a linearizable read, a Raft round
 * trip); reads that must see the latest ({@code current}) still ask the group. Shown with the
 * group's only voter stopped after the first read: the append path still finds the stream; a
 * linearizable read cannot, nor can the append path once the stream is older than it keeps it.
 */
class StreamDirectoryIT {
  private static final PlacedStream METERS =
      PlacedStream.withOwners(
          new StreamInfo(
              "meters",
              1,
              0,
              Instant.ofEpochMilli(1_790_000_000_000L),
              List.of(new ShardInfo(1, "meters", BigInteger.ZERO, BigInteger.TEN))),
          List.of(1));

  @TempDir Path dir;
  private final List<ReplicatedMetadata> opened = new ArrayList<>();
  private ReplicatedMetadata voter;
  private ReplicatedMetadata outside;

  @BeforeEach
  void start() throws IOException {
    String list = TestServers.metadataNodes(1);
    voter = open(list, 1);
    outside = open(list, 9);
    Await.until(
        "the voter elects itself", Duration.ofSeconds(60), () -> voter.leaderId().isPresent());
    voter
        .write(
            MetadataWrite.create(
                StreamDirectory.NAMESPACE,
                StreamDirectory.key("meters"),
                PlacedStreamCodec.encode(METERS)))
        .join();
  }

  @AfterEach
  void close() throws IOException {
    for (ReplicatedMetadata metadata : opened) {
      metadata.close();
    }
  }

  @Test
  void lookups_reuse_a_stream_read_recently_and_current_asks_the_group() throws Exception {
    StreamDirectory directory = new StreamDirectory(outside, Duration.ofMinutes(10));
    assertThat(directory.followsChanges()).isFalse();
    assertThat(directory.lookup("meters").join()).contains(METERS);

    stopVoter();

    assertThat(directory.lookup("meters").join()).contains(METERS);
    assertThat(directory.get("meters")).contains(METERS);
    assertThatThrownBy(() -> directory.current("meters"))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void a_stream_read_longer_ago_than_it_is_kept_is_read_from_the_group_again() throws Exception {
    StreamDirectory directory = new StreamDirectory(outside, Duration.ZERO);
    assertThat(directory.lookup("meters").join()).contains(METERS);

    stopVoter();

    assertThatThrownBy(() -> directory.lookup("meters").join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreUnavailableException.class);
  }

  private void stopVoter() throws IOException {
    opened.remove(voter);
    voter.close();
  }

  private ReplicatedMetadata open(String list, int id) throws IOException {
    ReplicatedMetadata metadata =
        ReplicatedMetadata.start(
            ClusterConfigKeys.metadata(
                    ReplicatedMetadataCatalogIT.values(Map.of("metadata-nodes", list)),
                    dir.resolve("n" + id),
                    id)
                .orElseThrow());
    opened.add(metadata);
    return metadata;
  }
}
