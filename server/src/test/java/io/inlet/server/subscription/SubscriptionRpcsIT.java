package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CheckSubscriptionExistRequest;
import io.inlet.api.hstream.Consumer;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.GetSubscriptionRequest;
import io.inlet.api.hstream.GetSubscriptionResponse;
import io.inlet.api.hstream.ListConsumersRequest;
import io.inlet.api.hstream.ListSubscriptionsRequest;
import io.inlet.api.hstream.ListSubscriptionsWithPrefixRequest;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.hstream.LookupSubscriptionResponse;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.SubscriptionOffset;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionRpcsIT {
  @TempDir Path dir;
  private SubscriptionTestServer server;
  private List<Long> shards;

  @BeforeEach
  void start() {
    server = new SubscriptionTestServer(dir);
    shards = server.createStream("sensors", 2);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void create_fills_in_defaults_and_the_creation_time() {
    Subscription created = server.subscribe("sub-a", "sensors", 0, 0);
    assertThat(created.getSubscriptionId()).isEqualTo("sub-a");
    assertThat(created.getStreamName()).isEqualTo("sensors");
    assertThat(created.getAckTimeoutSeconds()).isEqualTo(600);
    assertThat(created.getMaxUnackedRecords()).isEqualTo(10_000);
    assertThat(created.getOffset()).isEqualTo(SpecialOffset.EARLIEST);
    assertThat(created.getCreationTime().getSeconds()).isPositive();
  }

  @Test
  void get_returns_the_subscription_with_an_offset_per_shard() {
    server.append("sensors", shards.get(0), "x", 3, 2);
    server.subscribe("sub-a", "sensors", 5, 100);
    GetSubscriptionResponse response =
        server.api.getSubscription(GetSubscriptionRequest.newBuilder().setId("sub-a").build());
    assertThat(response.getSubscription().getAckTimeoutSeconds()).isEqualTo(5);
    assertThat(response.getSubscription().getMaxUnackedRecords()).isEqualTo(100);
    assertThat(response.getOffsetsList())
        .extracting(SubscriptionOffset::getShardId)
        .containsExactlyInAnyOrderElementsOf(shards);
    assertThat(response.getOffsetsList()).allMatch(o -> o.getBatchId() == 0);
  }

  @Test
  void get_reports_the_last_acknowledged_batch_per_shard() {
    long shard = shards.get(0);
    server.append("sensors", shard, "x", 3, 2);
    server.subscribe("sub-a", "sensors", 60, 100);
    try (TestConsumer consumer = server.consumer("sub-a", "c1", true)) {
      consumer.awaitRecords(6);
      Await.until("the checkpoint to reach batch 3", () -> offsetOf("sub-a", shard) == 3);
    }
  }

  @Test
  void latest_subscription_reports_the_stream_end_at_creation() {
    long shard = shards.get(0);
    server.append("sensors", shard, "x", 4, 1);
    Subscription created = server.subscribe("sub-l", "sensors", 60, 100, SpecialOffset.LATEST);
    assertThat(created.getOffset()).isEqualTo(SpecialOffset.LATEST);
    assertThat(offsetOf("sub-l", shard)).isEqualTo(4);
    assertThat(offsetOf("sub-l", shards.get(1))).isZero();
  }

  @Test
  void list_check_and_lookup() {
    server.subscribe("alpha-1", "sensors", 0, 0);
    server.subscribe("alpha-2", "sensors", 0, 0);
    server.subscribe("beta", "sensors", 0, 0);

    assertThat(
            server
                .api
                .listSubscriptions(ListSubscriptionsRequest.getDefaultInstance())
                .getSubscriptionList())
        .extracting(Subscription::getSubscriptionId)
        .containsExactly("alpha-1", "alpha-2", "beta");
    assertThat(
            server
                .api
                .listSubscriptionsWithPrefix(
                    ListSubscriptionsWithPrefixRequest.newBuilder().setPrefix("alpha").build())
                .getSubscriptionList())
        .extracting(Subscription::getSubscriptionId)
        .containsExactly("alpha-1", "alpha-2");
    assertThat(exists("beta")).isTrue();
    assertThat(exists("gamma")).isFalse();

    LookupSubscriptionResponse lookup =
        server.api.lookupSubscription(
            LookupSubscriptionRequest.newBuilder().setSubscriptionId("beta").build());
    assertThat(lookup.getSubscriptionId()).isEqualTo("beta");
    assertThat(lookup.getServerNode()).isEqualTo(SubscriptionTestServer.NODE.toServerNode());
  }

  @Test
  void create_rejects_bad_settings_and_unknown_streams() {
    assertFails(() -> server.subscribe("s", "nope", 0, 0), Status.Code.FAILED_PRECONDITION, 302);
    server.subscribe("s", "sensors", 0, 0);
    assertFails(() -> server.subscribe("s", "sensors", 0, 0), Status.Code.ALREADY_EXISTS, 301);
    assertFails(() -> server.subscribe("t", "sensors", -1, 0), Status.Code.INVALID_ARGUMENT, 0);
    assertFails(() -> server.subscribe("t", "sensors", 36_001, 0), Status.Code.INVALID_ARGUMENT, 0);
    assertFails(() -> server.subscribe("t", "sensors", 0, -5), Status.Code.INVALID_ARGUMENT, 0);
    assertFails(
        () ->
            server.api.createSubscription(
                Subscription.newBuilder()
                    .setSubscriptionId("t")
                    .setStreamName("sensors")
                    .setOffsetValue(9)
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        303);
    assertThat(exists("t")).isFalse();
  }

  @Test
  void unknown_subscriptions_are_not_found() {
    assertFails(
        () -> server.api.getSubscription(GetSubscriptionRequest.newBuilder().setId("x").build()),
        Status.Code.NOT_FOUND,
        300);
    assertFails(
        () ->
            server.api.listConsumers(
                ListConsumersRequest.newBuilder().setSubscriptionId("x").build()),
        Status.Code.NOT_FOUND,
        300);
    assertFails(() -> delete("x", false), Status.Code.NOT_FOUND, 300);
    assertFails(() -> delete("x", true), Status.Code.NOT_FOUND, 300);
  }

  @Test
  void list_consumers_names_each_connected_consumer_with_its_address_and_user_agent() {
    server.subscribe("sub-a", "sensors", 0, 0);
    assertThat(consumers("sub-a")).isEmpty();
    try (TestConsumer c1 = server.consumer("sub-a", "c1", true);
        TestConsumer c2 = server.consumer("sub-a", "c2", true)) {
      Await.until("two consumers", () -> consumers("sub-a").size() == 2);
      assertThat(consumers("sub-a"))
          .extracting(Consumer::getName)
          .containsExactlyInAnyOrder("c1", "c2");
      assertThat(consumers("sub-a"))
          .allSatisfy(
              c -> {
                assertThat(c.getUri()).matches("127\\.0\\.0\\.1:\\d+");
                assertThat(c.getUserAgent()).startsWith("inlet-test/1.0");
              });
      c1.cancel();
      Await.until("c1 to leave", () -> consumers("sub-a").size() == 1);
      assertThat(consumers("sub-a")).extracting(Consumer::getName).containsExactly("c2");
      assertThat(c2.error()).isNull();
    }
  }

  @Test
  void delete_without_force_refuses_while_consumers_are_connected() {
    server.subscribe("sub-a", "sensors", 0, 0);
    try (TestConsumer consumer = server.consumer("sub-a", "c1", true)) {
      Await.until("the consumer to join", () -> consumers("sub-a").size() == 1);
      assertFails(() -> delete("sub-a", false), Status.Code.FAILED_PRECONDITION, 305);
      assertThat(exists("sub-a")).isTrue();
      consumer.cancel();
      Await.until("the consumer to leave", () -> consumers("sub-a").isEmpty());
      delete("sub-a", false);
      assertThat(exists("sub-a")).isFalse();
    }
  }

  @Test
  void delete_with_force_ends_the_consumers_streams() {
    server.subscribe("sub-a", "sensors", 0, 0);
    try (TestConsumer consumer = server.consumer("sub-a", "c1", true)) {
      Await.until("the consumer to join", () -> consumers("sub-a").size() == 1);
      delete("sub-a", true);
      assertThat(exists("sub-a")).isFalse();
      Status status = consumer.awaitError();
      assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(status.getDescription()).contains("\"error\":300");
    }
    // The id is free again, with fresh progress.
    server.subscribe("sub-a", "sensors", 0, 0);
    assertThat(offsetOf("sub-a", shards.get(0))).isZero();
  }

  @Test
  void streaming_fetch_on_an_unknown_subscription_is_not_found() {
    try (TestConsumer consumer = server.consumer("nope", "c1", true)) {
      Status status = consumer.awaitError();
      assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(status.getDescription()).contains("\"error\":300");
    }
  }

  @Test
  void a_second_consumer_with_a_connected_name_is_rejected() {
    server.subscribe("sub-a", "sensors", 0, 0);
    try (TestConsumer first = server.consumer("sub-a", "c1", true)) {
      Await.until("the first consumer joins", () -> consumers("sub-a").size() == 1);
      TestConsumer second = server.consumer("sub-a", "c1", true);
      Status status = second.awaitError();
      assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(first.error()).isNull();
      assertThat(consumers("sub-a")).hasSize(1);
    }
  }

  private long offsetOf(String subscription, long shard) {
    return server
        .api
        .getSubscription(GetSubscriptionRequest.newBuilder().setId(subscription).build())
        .getOffsetsList()
        .stream()
        .filter(o -> o.getShardId() == shard)
        .findFirst()
        .orElseThrow()
        .getBatchId();
  }

  private boolean exists(String id) {
    return server
        .api
        .checkSubscriptionExist(
            CheckSubscriptionExistRequest.newBuilder().setSubscriptionId(id).build())
        .getExists();
  }

  private List<Consumer> consumers(String id) {
    return server
        .api
        .listConsumers(ListConsumersRequest.newBuilder().setSubscriptionId(id).build())
        .getConsumersList();
  }

  private void delete(String id, boolean force) {
    server.api.deleteSubscription(
        DeleteSubscriptionRequest.newBuilder().setSubscriptionId(id).setForce(force).build());
  }

  private static void assertFails(ThrowingCallable call, Status.Code code, int errorCode) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains("\"error\":" + errorCode + ",");
            });
  }
}
