package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.store.StoreException;
import io.inlet.store.StoreException.Reason;
import io.inlet.store.StreamSpec;
import io.inlet.store.SubscriptionInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksSubscriptionCatalogTest {
  @TempDir Path dir;
  RocksStreamStore store;

  @BeforeEach
  void open() {
    store = TestStores.open(dir);
    store.streams().create(new StreamSpec("orders", 2, 1, 0));
    store.streams().create(new StreamSpec("alerts", 1, 1, 0));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static SubscriptionInfo spec(String id, String stream) {
    return new SubscriptionInfo(id, stream, 60, 1000, true, null);
  }

  private static Reason code(Throwable e) {
    return ((StoreException) e).reason();
  }

  @Test
  void create_stamps_the_time_and_get_list_and_forStream_find_it() {
    Instant before = Instant.now().minusMillis(1);
    SubscriptionInfo created = store.subscriptions().create(spec("sub-b", "orders"));
    store.subscriptions().create(spec("sub-a", "alerts"));
    store.subscriptions().create(spec("other", "orders"));

    assertThat(created.createdAt()).isBetween(before, Instant.now());
    assertThat(created.ackTimeoutSeconds()).isEqualTo(60);
    assertThat(created.maxUnackedRecords()).isEqualTo(1000);
    assertThat(created.startFromLatest()).isTrue();
    assertThat(store.subscriptions().get("sub-b")).contains(created);
    assertThat(store.subscriptions().get("missing")).isEmpty();
    assertThat(store.subscriptions().list("").stream().map(SubscriptionInfo::id))
        .containsExactly("other", "sub-a", "sub-b");
    assertThat(store.subscriptions().list("sub-").stream().map(SubscriptionInfo::id))
        .containsExactly("sub-a", "sub-b");
    assertThat(store.subscriptions().forStream("orders").stream().map(SubscriptionInfo::id))
        .containsExactly("other", "sub-b");
  }

  @Test
  void create_is_validated() {
    store.subscriptions().create(spec("sub", "orders"));

    assertThatThrownBy(() -> store.subscriptions().create(spec("sub", "alerts")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.SUBSCRIPTION_EXISTS));
    assertThatThrownBy(() -> store.subscriptions().create(spec("new", "missing")))
        .hasMessageContaining("missing")
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.SUBSCRIPTION_STREAM_NOT_FOUND));
    assertThatThrownBy(() -> store.subscriptions().create(spec("bad id", "orders")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.INVALID_SUBSCRIPTION_ID));
    assertThatThrownBy(() -> store.subscriptions().create(spec("", "orders")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.INVALID_SUBSCRIPTION_ID));
  }

  @Test
  void checkpoints_are_committed_per_shard_and_replaced() {
    store.subscriptions().create(spec("sub", "orders"));
    assertThat(store.subscriptions().checkpoints("sub")).isEmpty();

    store.subscriptions().commit("sub", 1, 5);
    store.subscriptions().commit("sub", 2, 9);
    store.subscriptions().commit("sub", 1, 7);

    assertThat(store.subscriptions().checkpoints("sub")).isEqualTo(Map.of(1L, 7L, 2L, 9L));
    assertThatThrownBy(() -> store.subscriptions().commit("missing", 1, 1))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.SUBSCRIPTION_NOT_FOUND));
    assertThatThrownBy(() -> store.subscriptions().checkpoints("missing"))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Reason.SUBSCRIPTION_NOT_FOUND));
  }

  @Test
  void delete_removes_the_subscription_and_its_checkpoints() {
    store.subscriptions().create(spec("sub", "orders"));
    store.subscriptions().create(spec("sub2", "orders"));
    store.subscriptions().commit("sub", 1, 5);
    store.subscriptions().commit("sub2", 1, 3);

    assertThat(store.subscriptions().delete("sub")).isTrue();
    assertThat(store.subscriptions().delete("sub")).isFalse();

    assertThat(store.subscriptions().get("sub")).isEmpty();
    store.subscriptions().create(spec("sub", "orders"));
    assertThat(store.subscriptions().checkpoints("sub")).isEmpty();
    // A subscription whose id extends the deleted one keeps its progress.
    assertThat(store.subscriptions().checkpoints("sub2")).isEqualTo(Map.of(1L, 3L));
  }

  @Test
  void subscriptions_and_checkpoints_survive_a_restart() {
    SubscriptionInfo created = store.subscriptions().create(spec("sub", "orders"));
    store.subscriptions().commit("sub", 11, 42);
    store.close();

    store = TestStores.open(dir);

    assertThat(store.subscriptions().get("sub")).contains(created);
    assertThat(store.subscriptions().checkpoints("sub")).isEqualTo(Map.of(11L, 42L));
  }
}
