package io.inlet.server.subscription;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CheckSubscriptionExistRequest;
import io.inlet.api.hstream.CheckSubscriptionExistResponse;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetSubscriptionRequest;
import io.inlet.api.hstream.GetSubscriptionResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListConsumersRequest;
import io.inlet.api.hstream.ListConsumersResponse;
import io.inlet.api.hstream.ListSubscriptionsRequest;
import io.inlet.api.hstream.ListSubscriptionsResponse;
import io.inlet.api.hstream.ListSubscriptionsWithPrefixRequest;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.hstream.LookupSubscriptionResponse;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.SubscriptionOffset;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionInfo;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Subscriptions and StreamingFetch, with HStreamDB's semantics: a subscription starts at the
 * EARLIEST batch or at the stream's end when created (LATEST); its shards are shared among its
 * connected consumers; records not acknowledged within {@code ackTimeoutSeconds} are delivered
 * again; at most about {@code maxUnackedRecords} records are outstanding; the acknowledged prefix
 * per shard is committed so consumption resumes there after a restart.
 *
 * <p>Unary methods run on the calling gRPC executor thread (never an event loop: the server
 * configures an executor); delivery runs on this group's own threads.
 */
public final class SubscriptionRpcs implements RpcGroup, AutoCloseable {
  /** HStreamDB clients' default when a subscription is created without an ack timeout. */
  static final int DEFAULT_ACK_TIMEOUT_SECONDS = 600;

  static final int MAX_ACK_TIMEOUT_SECONDS = 36_000;

  /** HStreamDB clients' default when a subscription is created without a limit. */
  static final int DEFAULT_MAX_UNACKED_RECORDS = 10_000;

  private static final int DISPATCH_THREADS = 2;

  private final StreamStore store;
  private final SubscriptionOwnership ownership;
  private final SubscriptionRegistry registry;

  /**
   * @param store the store as read paths see it (batches checked, see {@code
   *     io.inlet.server.read.CheckedStore})
   * @param limits the server's ceilings on unacknowledged records
   */
  public SubscriptionRpcs(
      StreamStore store, LocalNode node, SubscriptionMetrics metrics, UnackedLimits limits) {
    this(store, node, metrics, limits, Ticker.SYSTEM);
  }

  /**
   * @param ticker the time ack deadlines and read retries are measured with
   */
  public SubscriptionRpcs(
      StreamStore store,
      LocalNode node,
      SubscriptionMetrics metrics,
      UnackedLimits limits,
      Ticker ticker) {
    this(store, SubscriptionOwnership.local(node, store.subscriptions()), metrics, limits, ticker);
  }

  /**
   * @param ownership which node serves each subscription (a cluster's, or this node alone)
   */
  public SubscriptionRpcs(
      StreamStore store,
      SubscriptionOwnership ownership,
      SubscriptionMetrics metrics,
      UnackedLimits limits,
      Ticker ticker) {
    this.store = store;
    this.ownership = ownership;
    this.registry =
        new SubscriptionRegistry(store, ownership, DISPATCH_THREADS, metrics, limits, ticker);
  }

  /** Without meters (tests). */
  public SubscriptionRpcs(StreamStore store, LocalNode node, UnackedLimits limits) {
    this(store, node, limits, Ticker.SYSTEM);
  }

  /** Without meters, on the given time (tests). */
  public SubscriptionRpcs(StreamStore store, LocalNode node, UnackedLimits limits, Ticker ticker) {
    this(store, node, new SubscriptionMetrics(new CompositeMeterRegistry()), limits, ticker);
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getCreateSubscriptionMethod(),
        HStreamApiGrpc.getGetSubscriptionMethod(),
        HStreamApiGrpc.getListSubscriptionsMethod(),
        HStreamApiGrpc.getListSubscriptionsWithPrefixMethod(),
        HStreamApiGrpc.getListConsumersMethod(),
        HStreamApiGrpc.getCheckSubscriptionExistMethod(),
        HStreamApiGrpc.getDeleteSubscriptionMethod(),
        HStreamApiGrpc.getLookupSubscriptionMethod(),
        HStreamApiGrpc.getStreamingFetchMethod());
  }

  /** Records each caller's address and user agent, which ListConsumers reports. */
  @Override
  public List<ServerInterceptor> interceptors() {
    return List.of(CallerInfo.INTERCEPTOR);
  }

  /** Ends every consumer's stream (UNAVAILABLE, so clients reconnect) and flushes checkpoints. */
  @Override
  public void close() {
    registry.close();
  }

  @Override
  public void createSubscription(Subscription request, StreamObserver<Subscription> out) {
    unary(out, () -> create(request));
  }

  @Override
  public void getSubscription(
      GetSubscriptionRequest request, StreamObserver<GetSubscriptionResponse> out) {
    unary(out, () -> get(request.getId()));
  }

  @Override
  public void listSubscriptions(
      ListSubscriptionsRequest request, StreamObserver<ListSubscriptionsResponse> out) {
    unary(out, () -> list(""));
  }

  @Override
  public void listSubscriptionsWithPrefix(
      ListSubscriptionsWithPrefixRequest request, StreamObserver<ListSubscriptionsResponse> out) {
    unary(out, () -> list(request.getPrefix()));
  }

  @Override
  public void checkSubscriptionExist(
      CheckSubscriptionExistRequest request, StreamObserver<CheckSubscriptionExistResponse> out) {
    unary(
        out,
        () ->
            CheckSubscriptionExistResponse.newBuilder()
                .setExists(store.subscriptions().get(request.getSubscriptionId()).isPresent())
                .build());
  }

  @Override
  public void listConsumers(
      ListConsumersRequest request, StreamObserver<ListConsumersResponse> out) {
    unary(
        out,
        () -> {
          String id = request.getSubscriptionId();
          subscription(id);
          ListConsumersResponse.Builder response = ListConsumersResponse.newBuilder();
          for (ConsumerSession consumer : registry.consumers(id)) {
            response
                .addConsumersBuilder()
                .setName(consumer.name)
                .setUri(consumer.uri)
                .setUserAgent(consumer.userAgent);
          }
          return response.build();
        });
  }

  @Override
  public void deleteSubscription(DeleteSubscriptionRequest request, StreamObserver<Empty> out) {
    unary(
        out,
        () -> {
          registry.delete(request.getSubscriptionId(), request.getForce());
          return Empty.getDefaultInstance();
        });
  }

  /**
   * The node that serves the subscription: this node alone, or in a cluster its owner (HStreamDB
   * answers without checking existence).
   */
  @Override
  public void lookupSubscription(
      LookupSubscriptionRequest request, StreamObserver<LookupSubscriptionResponse> out) {
    unary(
        out,
        () ->
            LookupSubscriptionResponse.newBuilder()
                .setSubscriptionId(request.getSubscriptionId())
                .setServerNode(ownership.ownerOf(request.getSubscriptionId()))
                .build());
  }

  @Override
  public StreamObserver<StreamingFetchRequest> streamingFetch(
      StreamObserver<StreamingFetchResponse> responses) {
    return new StreamingFetchCall(
        registry, (ServerCallStreamObserver<StreamingFetchResponse>) responses);
  }

  // ------------------------------------------------------------------------------ helpers

  private Subscription create(Subscription request) {
    int ackTimeout = request.getAckTimeoutSeconds();
    if (ackTimeout == 0) {
      ackTimeout = DEFAULT_ACK_TIMEOUT_SECONDS;
    } else if (ackTimeout < 0 || ackTimeout > MAX_ACK_TIMEOUT_SECONDS) {
      throw GrpcErrors.invalidArgument(
          ErrorCode.InternalError,
          "ackTimeoutSeconds must be 1.."
              + MAX_ACK_TIMEOUT_SECONDS
              + " (0 for the default "
              + DEFAULT_ACK_TIMEOUT_SECONDS
              + "), found: "
              + ackTimeout);
    }
    int maxUnacked = request.getMaxUnackedRecords();
    if (maxUnacked == 0) {
      maxUnacked = DEFAULT_MAX_UNACKED_RECORDS;
    } else if (maxUnacked < 0) {
      throw GrpcErrors.invalidArgument(
          ErrorCode.InternalError,
          "maxUnackedRecords must be at least 1 (0 for the default "
              + DEFAULT_MAX_UNACKED_RECORDS
              + "), found: "
              + maxUnacked);
    }
    if (request.getOffset() == SpecialOffset.UNRECOGNIZED) {
      throw InletException.invalidArgument(
          ErrorCode.SubscriptionInvalidOffset,
          "offset must be EARLIEST or LATEST, found: " + request.getOffsetValue());
    }
    boolean latest = request.getOffset() == SpecialOffset.LATEST;
    SubscriptionInfo created =
        store
            .subscriptions()
            .create(
                new SubscriptionInfo(
                    request.getSubscriptionId(),
                    request.getStreamName(),
                    ackTimeout,
                    maxUnacked,
                    latest,
                    Instant.now()));
    if (latest) {
      fixStartAtEnd(created);
    }
    return toProto(created);
  }

  /**
   * Persists the shards' current ends as the LATEST subscription's starting checkpoints, so records
   * appended after creation are delivered even to a consumer that connects much later or after a
   * restart (HStreamDB likewise records the tail LSN + 1 at creation).
   */
  private void fixStartAtEnd(SubscriptionInfo subscription) {
    store
        .streams()
        .get(subscription.streamName())
        .ifPresent(
            stream -> {
              Map<Long, Long> ends = new TreeMap<>();
              for (ShardInfo shard : stream.shards()) {
                ends.put(shard.shardId(), store.log().position(shard.shardId()).lastLsn() + 1);
              }
              store.subscriptions().commit(subscription.id(), ends);
            });
  }

  /**
   * The subscription and, per shard, the LSN of the last batch of its acknowledged prefix (0 when
   * none): the checkpoint HStreamDB reports, after which consumption resumes.
   */
  private GetSubscriptionResponse get(String id) {
    SubscriptionInfo subscription = subscription(id);
    Map<Long, Long> offsets = new TreeMap<>(store.subscriptions().checkpoints(id));
    store
        .streams()
        .get(subscription.streamName())
        .ifPresent(stream -> stream.shards().forEach(s -> offsets.putIfAbsent(s.shardId(), 0L)));
    GetSubscriptionResponse.Builder response =
        GetSubscriptionResponse.newBuilder().setSubscription(toProto(subscription));
    offsets.forEach(
        (shardId, nextLsn) ->
            response.addOffsets(
                SubscriptionOffset.newBuilder()
                    .setShardId(shardId)
                    .setBatchId(Math.max(0, nextLsn - 1))));
    return response.build();
  }

  private ListSubscriptionsResponse list(String prefix) {
    ListSubscriptionsResponse.Builder response = ListSubscriptionsResponse.newBuilder();
    for (SubscriptionInfo subscription : store.subscriptions().list(prefix)) {
      response.addSubscription(toProto(subscription));
    }
    return response.build();
  }

  private SubscriptionInfo subscription(String id) {
    return store.subscriptions().get(id).orElseThrow(() -> InletException.subscriptionNotFound(id));
  }

  static Subscription toProto(SubscriptionInfo info) {
    Instant created = info.createdAt();
    return Subscription.newBuilder()
        .setSubscriptionId(info.id())
        .setStreamName(info.streamName())
        .setAckTimeoutSeconds(info.ackTimeoutSeconds())
        .setMaxUnackedRecords(info.maxUnackedRecords())
        .setOffset(info.startFromLatest() ? SpecialOffset.LATEST : SpecialOffset.EARLIEST)
        .setCreationTime(
            Timestamp.newBuilder().setSeconds(created.getEpochSecond()).setNanos(created.getNano()))
        .build();
  }

  private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
