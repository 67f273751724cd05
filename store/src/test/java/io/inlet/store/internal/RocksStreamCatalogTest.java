package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StoreException.Reason;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.SubscriptionInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksStreamCatalogTest {
  @TempDir Path dir;
  RocksStreamStore store;

  @BeforeEach
  void open() {
    store = TestStores.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void create_returns_the_stream_with_its_shards_and_get_finds_it() {
    StreamInfo created = store.streams().create(new StreamSpec("orders", 3, 2, 60));

    assertThat(created.name()).isEqualTo("orders");
    assertThat(created.replicationFactor()).isEqualTo(2);
    assertThat(created.backlogSeconds()).isEqualTo(60);
    assertThat(created.shardCount()).isEqualTo(3);
    assertThat(created.shards()).allMatch(s -> s.streamName().equals("orders"));
    assertThat(store.streams().get("orders")).contains(created);
    for (ShardInfo shard : created.shards()) {
      assertThat(store.streams().shard(shard.shardId())).contains(shard);
      assertThat(store.log().position(shard.shardId()).isEmpty()).isTrue();
      assertThat(store.log().position(shard.shardId()).lastLsn()).isZero();
    }
  }

  @Test
  void shard_ids_are_unique_across_streams() {
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      for (ShardInfo shard : store.streams().create(new StreamSpec("s" + i, 4, 1, 0)).shards()) {
        assertThat(ids.add(shard.shardId())).as("shard id %d reused", shard.shardId()).isTrue();
      }
    }
  }

  @Test
  void replication_factor_zero_is_stored_as_one() {
    assertThat(store.streams().create(new StreamSpec("a", 1, 0, 0)).replicationFactor())
        .isEqualTo(1);
  }

  @Test
  void list_is_ordered_by_name_and_filters_by_prefix() {
    for (String name : List.of("sensors.b", "orders", "sensors.a", "sensorsX", "alerts")) {
      store.streams().create(new StreamSpec(name, 1, 1, 0));
    }

    assertThat(store.streams().list("").stream().map(StreamInfo::name))
        .containsExactly("alerts", "orders", "sensors.a", "sensors.b", "sensorsX");
    assertThat(store.streams().list("sensors.").stream().map(StreamInfo::name))
        .containsExactly("sensors.a", "sensors.b");
    assertThat(store.streams().list("zzz")).isEmpty();
  }

  @Test
  void creating_an_existing_stream_fails_with_StreamExists() {
    store.streams().create(new StreamSpec("orders", 1, 1, 0));

    assertThatThrownBy(() -> store.streams().create(new StreamSpec("orders", 2, 1, 0)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("orders")
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.STREAM_EXISTS);
  }

  @Test
  void invalid_names_fail_with_StreamInvalidObjectIdentifier() {
    for (String name :
        new String[] {"", "has space", "_internal", "-dash", "sl/ash", "ü", "x".repeat(256)}) {
      assertThatThrownBy(() -> store.streams().create(new StreamSpec(name, 1, 1, 0)))
          .as(name)
          .isInstanceOf(StoreException.class)
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(Reason.INVALID_STREAM_NAME);
    }
    assertThatThrownBy(() -> store.streams().create(new StreamSpec(null, 1, 1, 0)))
        .isInstanceOf(StoreException.class);
    store.streams().create(new StreamSpec("a".repeat(255), 1, 1, 0));
    store.streams().create(new StreamSpec("9-lives_v1.2", 1, 1, 0));
  }

  @Test
  void shard_count_must_be_between_1_and_1024() {
    for (int count : new int[] {0, -1, 1025}) {
      assertThatThrownBy(() -> store.streams().create(new StreamSpec("s", count, 1, 0)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(Integer.toString(count))
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(Reason.INVALID_SHARD_COUNT);
    }
    assertThat(store.streams().create(new StreamSpec("s", 1024, 1, 0)).shardCount())
        .isEqualTo(1024);
  }

  @Test
  void negative_or_absurd_replication_factor_fails_with_StreamInvalidReplicaFactor() {
    for (int factor : new int[] {-1, 16, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> store.streams().create(new StreamSpec("s", 1, factor, 0)))
          .isInstanceOf(StoreException.class)
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(Reason.INVALID_REPLICATION_FACTOR);
    }
  }

  @Test
  void delete_removes_the_stream_its_shards_and_its_records() {
    StreamInfo stream = store.streams().create(new StreamSpec("orders", 2, 1, 0));
    long shardId = stream.shards().get(0).shardId();
    TestStores.await(store.log().append("orders", shardId, TestStores.batch("a", 1)));

    assertThat(store.streams().delete("orders", false)).isTrue();

    assertThat(store.streams().get("orders")).isEmpty();
    assertThat(store.streams().list("")).isEmpty();
    assertThat(store.streams().shard(shardId)).isEmpty();
    assertThatThrownBy(() -> store.log().read(shardId, 1, 10))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(Long.toString(shardId));
    assertThat(store.streams().delete("orders", false)).isFalse();

    // A new stream of the same name starts empty, with new shard ids.
    StreamInfo again = store.streams().create(new StreamSpec("orders", 2, 1, 0));
    assertThat(again.shards()).noneMatch(s -> s.shardId() == shardId);
    assertThat(store.log().read(again.shards().get(0).shardId(), 1, 10)).isEmpty();
  }

  @Test
  void delete_with_subscriptions_needs_force() {
    store.streams().create(new StreamSpec("orders", 1, 1, 0));
    store.subscriptions().create(new SubscriptionInfo("sub", "orders", 60, 100, false, null));

    assertThatThrownBy(() -> store.streams().delete("orders", false))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.STREAM_HAS_SUBSCRIPTIONS);
    assertThat(store.streams().get("orders")).isPresent();

    assertThat(store.streams().delete("orders", true)).isTrue();
    assertThat(store.streams().get("orders")).isEmpty();
  }

  @Test
  void shardForKey_routes_by_md5_into_the_owning_range() {
    StreamInfo stream = store.streams().create(new StreamSpec("orders", 7, 1, 0));
    for (int i = 0; i < 500; i++) {
      String key = "device-" + i;
      ShardInfo shard = store.streams().shardForKey("orders", key);
      assertThat(PartitionKeys.hash(key)).isBetween(shard.startKey(), shard.endKey());
      assertThat(stream.shards()).contains(shard);
    }
    assertThat(store.streams().shardForKey("orders", "").streamName()).isEqualTo("orders");
    assertThatThrownBy(() -> store.streams().shardForKey("nope", "k"))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.STREAM_NOT_FOUND);
  }

  @Test
  void shardForKey_routes_a_stream_created_again_by_its_new_shards() {
    store.streams().create(new StreamSpec("orders", 1, 1, 0));
    long only = store.streams().shardForKey("orders", "device-42").shardId();
    assertThat(store.streams().delete("orders", true)).isTrue();
    StreamInfo again = store.streams().create(new StreamSpec("orders", 4, 1, 0));
    ShardInfo shard = store.streams().shardForKey("orders", "device-42");
    assertThat(again.shards()).contains(shard);
    assertThat(shard.shardId()).isNotEqualTo(only);
    assertThat(PartitionKeys.hash("device-42")).isBetween(shard.startKey(), shard.endKey());
  }

  @Test
  void shardOf_names_the_stream_or_the_shard_that_does_not_match() {
    StreamInfo orders = store.streams().create(new StreamSpec("orders", 2, 1, 0));
    StreamInfo other = store.streams().create(new StreamSpec("other", 1, 1, 0));
    long own = orders.shards().get(1).shardId();
    long foreign = other.shards().get(0).shardId();

    assertThat(store.streams().shardOf("orders", own)).isEqualTo(orders.shards().get(1));
    assertThatThrownBy(() -> store.streams().shardOf("orders", foreign))
        .hasMessageContaining("shard " + foreign)
        .hasMessageContaining("\"orders\"")
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.SHARD_NOT_IN_STREAM);
    assertThatThrownBy(() -> store.streams().shardOf("orders", 999_999))
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.SHARD_NOT_IN_STREAM);
    assertThatThrownBy(() -> store.streams().shardOf("nope", own))
        .extracting(e -> ((StoreException) e).reason())
        .isEqualTo(Reason.STREAM_NOT_FOUND);
  }

  @Test
  void streams_survive_a_restart() {
    StreamInfo orders = store.streams().create(new StreamSpec("orders", 3, 1, 30));
    store.streams().create(new StreamSpec("gone", 1, 1, 0));
    store.streams().delete("gone", false);
    store.close();

    store = TestStores.open(dir);

    assertThat(store.streams().list("")).containsExactly(orders);
    StreamInfo next = store.streams().create(new StreamSpec("next", 1, 1, 0));
    assertThat(next.shards().get(0).shardId()).isGreaterThan(orders.shards().get(2).shardId() + 1);
  }

  @Test
  void adopt_holds_a_stream_as_given_once_and_replaces_an_older_one_of_its_name() {
    StreamInfo given = elsewhere("orders", 40, 2);

    assertThat(store.streams().adopt(given)).isEqualTo(given);
    assertThat(store.streams().adopt(given)).isEqualTo(given);
    TestStores.await(store.log().append("orders", 40, TestStores.batch("a", 1)));
    assertThat(store.log().position(40).lastLsn()).isEqualTo(1);
    assertThat(store.streams().create(new StreamSpec("local", 1, 1, 0)).shards().get(0).shardId())
        .as("shard ids created here stay above adopted ones")
        .isEqualTo(42);

    StreamInfo recreated = elsewhere("orders", 50, 1);
    assertThat(store.streams().adopt(recreated)).isEqualTo(recreated);
    assertThat(store.streams().shard(40)).isEmpty();
    assertThat(store.log().position(50).isEmpty()).isTrue();

    store.close();
    store = TestStores.open(dir);
    assertThat(store.streams().get("orders")).contains(recreated);
  }

  @Test
  void adopt_refuses_a_shard_id_another_stream_holds() {
    StreamInfo local = store.streams().create(new StreamSpec("local", 1, 1, 0));
    long taken = local.shards().get(0).shardId();

    assertThatThrownBy(() -> store.streams().adopt(elsewhere("orders", taken, 1)))
        .hasMessageContaining("shard " + taken)
        .hasMessageContaining("\"local\"");
    assertThat(store.streams().get("orders")).isEmpty();
  }

  private static StreamInfo elsewhere(String name, long firstShardId, int shards) {
    List<ShardInfo> list = new java.util.ArrayList<>();
    for (int i = 0; i < shards; i++) {
      list.add(
          new ShardInfo(
              firstShardId + i,
              name,
              PartitionKeys.rangeStart(i, shards),
              PartitionKeys.rangeEnd(i, shards)));
    }
    return new StreamInfo(
        name, 1, 0, java.time.Instant.parse("2026-12-03T20:00:00Z"), List.copyOf(list));
  }
}
