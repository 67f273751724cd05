package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.metadata.MetadataFormatException;
import io.inlet.store.SubscriptionInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubscriptionCodecTest {

  @Test
  void a_subscription_reads_back_as_written() {
    SubscriptionInfo info =
        new SubscriptionInfo(
            "orders-sub", "orders", 30, 500, true, Instant.ofEpochMilli(1_790_000_000_123L));

    assertThat(SubscriptionCodec.decodeInfo(SubscriptionCodec.encode(info))).isEqualTo(info);
  }

  @Test
  void progress_reads_back_with_its_owner_and_every_checkpoint() {
    SubscriptionProgress progress = new SubscriptionProgress(3, Map.of(11L, 42L, 12L, 1L));

    assertThat(SubscriptionCodec.decodeProgress(SubscriptionCodec.encode(progress)))
        .isEqualTo(progress);
    assertThat(
            SubscriptionCodec.decodeProgress(
                SubscriptionCodec.encode(SubscriptionProgress.unowned())))
        .isEqualTo(new SubscriptionProgress(SubscriptionProgress.NO_OWNER, Map.of()));
  }

  @Test
  void truncated_or_unknown_bytes_are_a_format_error() {
    byte[] bytes = SubscriptionCodec.encode(new SubscriptionProgress(1, Map.of(5L, 6L)));

    assertThatThrownBy(
            () -> SubscriptionCodec.decodeProgress(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(MetadataFormatException.class);
    bytes[0] = 9;
    assertThatThrownBy(() -> SubscriptionCodec.decodeProgress(bytes))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void subscriptions_without_a_running_owner_spread_over_the_running_nodes() {
    Set<Integer> running = Set.of(1, 2, 3);
    Set<Integer> chosen =
        IntStream.range(0, 60)
            .mapToObj(i -> SubscriptionOwners.choice("sub-" + i, running))
            .collect(Collectors.toSet());

    assertThat(chosen).isEqualTo(running);
    assertThat(SubscriptionOwners.choice("sub-7", running))
        .as("the same on every call")
        .isEqualTo(SubscriptionOwners.choice("sub-7", Set.of(3, 2, 1)));
  }
}
