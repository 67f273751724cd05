package io.inlet.server.ingest;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.emqx.v2.proto.BrokerInfo;
import io.inlet.emqx.v2.proto.ClientAuthenticateRequest;
import io.inlet.emqx.v2.proto.ClientAuthorizeRequest;
import io.inlet.emqx.v2.proto.ClientConnackRequest;
import io.inlet.emqx.v2.proto.ClientConnectRequest;
import io.inlet.emqx.v2.proto.ClientConnectedRequest;
import io.inlet.emqx.v2.proto.ClientDisconnectedRequest;
import io.inlet.emqx.v2.proto.ClientInfo;
import io.inlet.emqx.v2.proto.ClientSubscribeRequest;
import io.inlet.emqx.v2.proto.ClientUnsubscribeRequest;
import io.inlet.emqx.v2.proto.ConnInfo;
import io.inlet.emqx.v2.proto.HookProviderGrpc;
import io.inlet.emqx.v2.proto.LoadedResponse;
import io.inlet.emqx.v2.proto.Message;
import io.inlet.emqx.v2.proto.MessageAckedRequest;
import io.inlet.emqx.v2.proto.MessageDeliveredRequest;
import io.inlet.emqx.v2.proto.MessageDroppedRequest;
import io.inlet.emqx.v2.proto.MessagePublishRequest;
import io.inlet.emqx.v2.proto.ProviderLoadedRequest;
import io.inlet.emqx.v2.proto.ProviderUnloadedRequest;
import io.inlet.emqx.v2.proto.RequestMeta;
import io.inlet.emqx.v2.proto.SessionCreatedRequest;
import io.inlet.emqx.v2.proto.SessionDiscardedRequest;
import io.inlet.emqx.v2.proto.SessionResumedRequest;
import io.inlet.emqx.v2.proto.SessionSubscribedRequest;
import io.inlet.emqx.v2.proto.SessionTakenoverRequest;
import io.inlet.emqx.v2.proto.SessionTerminatedRequest;
import io.inlet.emqx.v2.proto.SessionUnsubscribedRequest;
import io.inlet.emqx.v2.proto.SubOpts;
import io.inlet.emqx.v2.proto.TopicFilter;
import io.inlet.emqx.v2.proto.ValuedResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acts as EMQX 5.4 to 5.8 does towards an ExHook provider over {@code emqx.exhook.v2}: one channel,
 * each call with EMQX's request_timeout as its deadline, requests filled as EMQX fills them (no
 * MQTT 5 properties on a publish, no peer ports).
 */
final class EmqxV2 implements AutoCloseable {
  /** EMQX's default exhook request_timeout. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  static final RequestMeta META =
      RequestMeta.newBuilder()
          .setNode("emqx@127.0.0.1")
          .setVersion("5.8.6")
          .setSysdescr("EMQX")
          .setClusterName("emqxcl")
          .build();

  private static final AtomicLong ids = new AtomicLong(0x0006_1F2A_0000_0000L);

  private final ManagedChannel channel;

  EmqxV2(int port) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  HookProviderGrpc.HookProviderBlockingStub blocking(Duration deadline) {
    return HookProviderGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  HookProviderGrpc.HookProviderFutureStub async(Duration deadline) {
    return HookProviderGrpc.newFutureStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  LoadedResponse load() {
    return blocking(REQUEST_TIMEOUT)
        .onProviderLoaded(
            ProviderLoadedRequest.newBuilder()
                .setBroker(
                    BrokerInfo.newBuilder()
                        .setVersion("5.8.6")
                        .setSysdescr("EMQX")
                        .setUptime(1234)
                        .setDatetime("2026-11-20T10:00:00Z"))
                .setMeta(META)
                .build());
  }

  void unload() {
    blocking(REQUEST_TIMEOUT)
        .onProviderUnloaded(ProviderUnloadedRequest.newBuilder().setMeta(META).build());
  }

  /** A PUBLISH as EMQX hands it to the hook: headers username, protocol and peerhost. */
  static Message message(String clientId, String username, String topic, byte[] payload, int qos) {
    Message.Builder m =
        Message.newBuilder()
            .setNode("emqx@127.0.0.1")
            .setId(Long.toHexString(ids.incrementAndGet()))
            .setQos(qos)
            .setFrom(clientId)
            .setTopic(topic)
            .setPayload(ByteString.copyFrom(payload))
            .setTimestamp(System.currentTimeMillis())
            .putHeaders("protocol", "mqtt")
            .putHeaders("peerhost", "127.0.0.1");
    if (username != null) {
      m.putHeaders("username", username);
    }
    return m.build();
  }

  ListenableFuture<ValuedResponse> publish(Message message) {
    return async(REQUEST_TIMEOUT)
        .onMessagePublish(
            MessagePublishRequest.newBuilder().setMessage(message).setMeta(META).build());
  }

  static ConnInfo connInfo(String clientId) {
    return ConnInfo.newBuilder()
        .setNode("emqx@127.0.0.1")
        .setClientid(clientId)
        .setUsername("dev")
        .setPeerhost("127.0.0.1")
        .setSockport(1883)
        .setProtoName("MQTT")
        .setProtoVer("5")
        .setKeepalive(60)
        .build();
  }

  static ClientInfo clientInfo(String clientId) {
    return ClientInfo.newBuilder()
        .setNode("emqx@127.0.0.1")
        .setClientid(clientId)
        .setUsername("dev")
        .setPeerhost("127.0.0.1")
        .setSockport(1883)
        .setProtocol("mqtt")
        .setAnonymous(false)
        .build();
  }

  /**
   * Every hook of a client's life except message.publish, in the order EMQX runs them, each with
   * {@code deadline}: a slow answer fails with DEADLINE_EXCEEDED. Returns the two valued answers
   * (authenticate, authorize).
   */
  List<ValuedResponse> clientLifecycle(String clientId, Duration deadline) {
    var stub = blocking(deadline);
    ConnInfo conn = connInfo(clientId);
    ClientInfo client = clientInfo(clientId);
    TopicFilter filter =
        TopicFilter.newBuilder()
            .setName("cmd/" + clientId)
            .setSubopts(SubOpts.newBuilder().setQos(1))
            .build();
    Message delivered = message("other", null, "cmd/" + clientId, new byte[] {1}, 1);
    stub.onClientConnect(ClientConnectRequest.newBuilder().setConninfo(conn).setMeta(META).build());
    ValuedResponse auth =
        stub.onClientAuthenticate(
            ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client)
                .setResult(true)
                .setMeta(META)
                .build());
    stub.onClientConnack(
        ClientConnackRequest.newBuilder()
            .setConninfo(conn)
            .setResultCode("success")
            .setMeta(META)
            .build());
    stub.onSessionCreated(
        SessionCreatedRequest.newBuilder().setClientinfo(client).setMeta(META).build());
    stub.onClientConnected(
        ClientConnectedRequest.newBuilder().setClientinfo(client).setMeta(META).build());
    ValuedResponse authz =
        stub.onClientAuthorize(
            ClientAuthorizeRequest.newBuilder()
                .setClientinfo(client)
                .setType(ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE)
                .setTopic(filter.getName())
                .setResult(true)
                .setMeta(META)
                .build());
    stub.onClientSubscribe(
        ClientSubscribeRequest.newBuilder()
            .setClientinfo(client)
            .addTopicFilters(filter)
            .setMeta(META)
            .build());
    stub.onSessionSubscribed(
        SessionSubscribedRequest.newBuilder()
            .setClientinfo(client)
            .setTopic(filter.getName())
            .setSubopts(filter.getSubopts())
            .setMeta(META)
            .build());
    stub.onMessageDelivered(
        MessageDeliveredRequest.newBuilder()
            .setClientinfo(client)
            .setMessage(delivered)
            .setMeta(META)
            .build());
    stub.onMessageAcked(
        MessageAckedRequest.newBuilder()
            .setClientinfo(client)
            .setMessage(delivered)
            .setMeta(META)
            .build());
    stub.onMessageDropped(
        MessageDroppedRequest.newBuilder()
            .setMessage(delivered)
            .setReason("no_subscribers")
            .setMeta(META)
            .build());
    stub.onClientUnsubscribe(
        ClientUnsubscribeRequest.newBuilder()
            .setClientinfo(client)
            .addTopicFilters(filter)
            .setMeta(META)
            .build());
    stub.onSessionUnsubscribed(
        SessionUnsubscribedRequest.newBuilder()
            .setClientinfo(client)
            .setTopic(filter.getName())
            .setMeta(META)
            .build());
    stub.onClientDisconnected(
        ClientDisconnectedRequest.newBuilder()
            .setClientinfo(client)
            .setReason("normal")
            .setMeta(META)
            .build());
    stub.onSessionResumed(
        SessionResumedRequest.newBuilder().setClientinfo(client).setMeta(META).build());
    stub.onSessionTakenover(
        SessionTakenoverRequest.newBuilder().setClientinfo(client).setMeta(META).build());
    stub.onSessionDiscarded(
        SessionDiscardedRequest.newBuilder().setClientinfo(client).setMeta(META).build());
    stub.onSessionTerminated(
        SessionTerminatedRequest.newBuilder()
            .setClientinfo(client)
            .setReason("normal")
            .setMeta(META)
            .build());
    return List.of(auth, authz);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
