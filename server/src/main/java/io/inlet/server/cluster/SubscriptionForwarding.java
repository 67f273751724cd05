package io.inlet.server.cluster;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.CheckSubscriptionExistRequest;
import io.inlet.api.hstream.CheckSubscriptionExistResponse;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
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
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.Subscription;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.server.subscription.SubscriptionOwnership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The subscription methods of a node in a cluster. What only the owner knows, its consumers, is
 * asked of the owner: {@code ListConsumers} and {@code DeleteSubscription} (a delete without force
 * must see the consumers to refuse; a forced one ends them at once) are forwarded to the node the
 * lookup names. The rest is answered where it arrives, from the replicated catalog; {@code
 * StreamingFetch} on a node that does not own the subscription is refused there (UNAVAILABLE, look
 * it up again).
 */
final class SubscriptionForwarding implements RpcGroup {
  /** A forced delete waits for the owner's in-flight checkpoint writes. */
  private static final Duration FORWARD_DEADLINE = Duration.ofSeconds(30);

  private final RpcGroup local;
  private final SubscriptionOwnership owners;
  private final OwnerCalls calls;

  SubscriptionForwarding(
      RpcGroup local, SubscriptionOwnership owners, int selfId, OwnerChannels channels) {
    this.local = local;
    this.owners = owners;
    this.calls = new OwnerCalls(selfId, channels, FORWARD_DEADLINE);
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return local.methods();
  }

  @Override
  public List<ServerInterceptor> interceptors() {
    List<ServerInterceptor> all = new ArrayList<>();
    all.add(ForwardedCalls.reading());
    all.addAll(local.interceptors());
    return all;
  }

  @Override
  public void listConsumers(
      ListConsumersRequest request, StreamObserver<ListConsumersResponse> out) {
    calls.at(
        owners.ownerOf(request.getSubscriptionId()),
        HStreamApiGrpc.getListConsumersMethod(),
        request,
        out,
        local::listConsumers);
  }

  @Override
  public void deleteSubscription(DeleteSubscriptionRequest request, StreamObserver<Empty> out) {
    calls.at(
        owners.ownerOf(request.getSubscriptionId()),
        HStreamApiGrpc.getDeleteSubscriptionMethod(),
        request,
        out,
        local::deleteSubscription);
  }

  @Override
  public void createSubscription(Subscription request, StreamObserver<Subscription> out) {
    local.createSubscription(request, out);
  }

  @Override
  public void getSubscription(
      GetSubscriptionRequest request, StreamObserver<GetSubscriptionResponse> out) {
    local.getSubscription(request, out);
  }

  @Override
  public void listSubscriptions(
      ListSubscriptionsRequest request, StreamObserver<ListSubscriptionsResponse> out) {
    local.listSubscriptions(request, out);
  }

  @Override
  public void listSubscriptionsWithPrefix(
      ListSubscriptionsWithPrefixRequest request, StreamObserver<ListSubscriptionsResponse> out) {
    local.listSubscriptionsWithPrefix(request, out);
  }

  @Override
  public void checkSubscriptionExist(
      CheckSubscriptionExistRequest request, StreamObserver<CheckSubscriptionExistResponse> out) {
    local.checkSubscriptionExist(request, out);
  }

  @Override
  public void lookupSubscription(
      LookupSubscriptionRequest request, StreamObserver<LookupSubscriptionResponse> out) {
    local.lookupSubscription(request, out);
  }

  @Override
  public StreamObserver<StreamingFetchRequest> streamingFetch(
      StreamObserver<StreamingFetchResponse> responses) {
    return local.streamingFetch(responses);
  }
}
