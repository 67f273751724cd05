package io.inlet.emqx;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.inlet.emqx.v3.proto.ClientAuthenticateRequest;
import io.inlet.emqx.v3.proto.ClientAuthorizeRequest;
import io.inlet.emqx.v3.proto.ClientConnackRequest;
import io.inlet.emqx.v3.proto.ClientConnectRequest;
import io.inlet.emqx.v3.proto.ClientConnectedRequest;
import io.inlet.emqx.v3.proto.ClientDisconnectedRequest;
import io.inlet.emqx.v3.proto.ClientSubscribeRequest;
import io.inlet.emqx.v3.proto.ClientUnsubscribeRequest;
import io.inlet.emqx.v3.proto.EmptySuccess;
import io.inlet.emqx.v3.proto.HookProviderGrpc;
import io.inlet.emqx.v3.proto.HookSpec;
import io.inlet.emqx.v3.proto.LoadedResponse;
import io.inlet.emqx.v3.proto.Message;
import io.inlet.emqx.v3.proto.MessageAckedRequest;
import io.inlet.emqx.v3.proto.MessageDeliveredRequest;
import io.inlet.emqx.v3.proto.MessageDroppedRequest;
import io.inlet.emqx.v3.proto.MessagePublishRequest;
import io.inlet.emqx.v3.proto.Property;
import io.inlet.emqx.v3.proto.ProviderLoadedRequest;
import io.inlet.emqx.v3.proto.ProviderUnloadedRequest;
import io.inlet.emqx.v3.proto.SessionCreatedRequest;
import io.inlet.emqx.v3.proto.SessionDiscardedRequest;
import io.inlet.emqx.v3.proto.SessionResumedRequest;
import io.inlet.emqx.v3.proto.SessionSubscribedRequest;
import io.inlet.emqx.v3.proto.SessionTakenoverRequest;
import io.inlet.emqx.v3.proto.SessionTerminatedRequest;
import io.inlet.emqx.v3.proto.SessionUnsubscribedRequest;
import io.inlet.emqx.v3.proto.ValuedResponse;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code emqx.exhook.v3.HookProvider} (EMQX 5.9+): registers {@code message.publish} and stores
 * each message before answering; every other hook is answered at once. Carries the publish's MQTT 5
 * user properties and content type into the {@link io.inlet.api.ingest.InboundMessage}.
 */
final class HookProviderV3 extends HookProviderGrpc.HookProviderImplBase {
  private static final Logger log = LoggerFactory.getLogger(HookProviderV3.class);
  private static final EmptySuccess EMPTY = EmptySuccess.getDefaultInstance();
  private static final ValuedResponse IGNORE =
      ValuedResponse.newBuilder().setType(ValuedResponse.ResponsedType.IGNORE).build();

  private final PublishAdmission admission;
  private final LoadedResponse hooks;

  HookProviderV3(PublishAdmission admission, List<String> topicFilters) {
    this.admission = admission;
    this.hooks =
        LoadedResponse.newBuilder()
            .addHooks(
                HookSpec.newBuilder()
                    .setName(ExHookMessages.MESSAGE_PUBLISH)
                    .addAllTopics(topicFilters))
            .build();
  }

  @Override
  public void onProviderLoaded(
      ProviderLoadedRequest request, StreamObserver<LoadedResponse> observer) {
    log.info(
        "EMQX {} (node {}) loaded the ExHook provider over emqx.exhook.v3; registered {} on {}",
        request.getBroker().getVersion(),
        request.getMeta().getNode(),
        ExHookMessages.MESSAGE_PUBLISH,
        hooks.getHooks(0).getTopicsList());
    ExHookMessages.reply(observer, hooks);
  }

  @Override
  public void onProviderUnloaded(
      ProviderUnloadedRequest request, StreamObserver<EmptySuccess> observer) {
    log.info("EMQX (node {}) unloaded the ExHook provider (v3)", request.getMeta().getNode());
    ExHookMessages.reply(observer, EMPTY);
  }

  @Override
  public void onMessagePublish(
      MessagePublishRequest request, StreamObserver<ValuedResponse> observer) {
    Message message = request.getMessage();
    List<Map.Entry<String, String>> props = pairs(request.getPropsList());
    admission
        .admit(
            ExHookMessages.inbound(
                message.getTopic(),
                message.getPayload(),
                message.getQos(),
                message.getFrom(),
                message.getHeadersMap(),
                pairs(request.getUserPropsList()),
                ExHookMessages.contentType(props)),
            Context.current().getDeadline())
        .thenAccept(verdict -> ExHookMessages.reply(observer, answer(message, verdict)));
  }

  static ValuedResponse answer(Message message, PublishVerdict verdict) {
    if (verdict.dropsMessage()) {
      return ValuedResponse.newBuilder()
          .setType(ValuedResponse.ResponsedType.STOP_AND_RETURN)
          .setMessage(message.toBuilder().putHeaders(ExHookMessages.ALLOW_PUBLISH, "false"))
          .build();
    }
    return ValuedResponse.newBuilder()
        .setType(ValuedResponse.ResponsedType.CONTINUE)
        .setMessage(message)
        .build();
  }

  private static List<Map.Entry<String, String>> pairs(List<Property> properties) {
    return properties.stream().map(p -> Map.entry(p.getName(), p.getValue())).toList();
  }

  // Hooks Inlet does not register: EMQX does not call them, but an answer is cheap.

  @Override
  public void onClientAuthenticate(
      ClientAuthenticateRequest request, StreamObserver<ValuedResponse> observer) {
    ExHookMessages.reply(observer, IGNORE);
  }

  @Override
  public void onClientAuthorize(
      ClientAuthorizeRequest request, StreamObserver<ValuedResponse> observer) {
    ExHookMessages.reply(observer, IGNORE);
  }

  @Override
  public void onClientConnect(ClientConnectRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onClientConnack(ClientConnackRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onClientConnected(ClientConnectedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onClientDisconnected(
      ClientDisconnectedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onClientSubscribe(ClientSubscribeRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onClientUnsubscribe(
      ClientUnsubscribeRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionCreated(SessionCreatedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionSubscribed(
      SessionSubscribedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionUnsubscribed(
      SessionUnsubscribedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionResumed(SessionResumedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionDiscarded(SessionDiscardedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionTakenover(SessionTakenoverRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onSessionTerminated(
      SessionTerminatedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onMessageDelivered(MessageDeliveredRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onMessageDropped(MessageDroppedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }

  @Override
  public void onMessageAcked(MessageAckedRequest request, StreamObserver<EmptySuccess> o) {
    ExHookMessages.reply(o, EMPTY);
  }
}
