package io.inlet.bridge.listener.internal.publish;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.topic.TopicNames;
import io.inlet.bridge.auth.Identity;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.ListenerContext;
import io.inlet.bridge.listener.internal.Packets;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.inlet.bridge.listener.internal.connect.ConnectRequest;
import io.inlet.bridge.listener.internal.connect.MqttConnectHandler;
import io.inlet.bridge.listener.internal.session.Session;
import io.inlet.bridge.listener.internal.session.SessionOwner;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection once CONNACK is sent (its {@link MqttConnectHandler} has left the pipeline):
 * publishes and their acknowledgements, keep-alive (the {@link IdleStateHandler} before it says
 * when the client has been silent too long), session take-over, DISCONNECT. Every field is confined
 * to the channel's event loop; work that completes elsewhere (ingest) hops back to it.
 *
 * <p>Acknowledgements: a QoS 1/2 publish is answered (PUBACK/PUBREC) only once its ingest
 * completed, and answers leave in the order the publishes arrived (MQTT 3.1.1 §4.6), however the
 * completions are ordered.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionOwner {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

  private final ListenerContext context;
  private final MqttListenerSettings settings;
  private final MqttVersion version;
  private final String clientId;
  private final Identity identity;
  private final PublishDecisions decisions;

  // event loop only
  private ChannelHandlerContext ctx;
  private boolean closed;
  private Session session;
  private AckQueue acks;
  private TopicAliases aliases;
  private int pendingQos0;
  private boolean readPaused;
  private boolean normalDisconnect;

  public MqttConnection(ListenerContext context, ConnectRequest request, Identity identity) {
    this.context = context;
    this.settings = context.settings();
    this.version = request.version();
    this.clientId = request.clientId();
    this.identity = identity;
    this.decisions =
        new PublishDecisions(
            request.isV5(), settings.unmatchedPublish(), settings.deniedPublish(), context.stats());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Sends CONNACK (already built by the connect handler), then handles the packets that arrived
   * while the client was being authenticated, and starts reading.
   */
  public void connected(Session session, MqttMessage connAck, ArrayDeque<MqttMessage> early) {
    this.session = session;
    ctx.write(connAck);
    context.stats().record(Event.CONNECT_ACCEPTED);
    while (early != null && !early.isEmpty()) {
      MqttMessage message = early.poll();
      try {
        if (!closed) {
          dispatch(message);
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }
    ctx.flush();
    if (!closed && !readPaused) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (session != null) {
      context.sessions().detach(session, this, normalDisconnect);
    }
    context.stats().record(Event.CONNECTION_CLOSED);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("MQTT connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      // a client we stopped reading from (backpressure) is not idle
      if (!readPaused) {
        disconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT, Event.KEEP_ALIVE_TIMEOUT);
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MqttMessage message) || closed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      if (message.decoderResult().isFailure()) {
        onDecodeFailure(message.decoderResult().cause());
      } else {
        dispatch(message);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void dispatch(MqttMessage message) {
    switch (message.fixedHeader().messageType()) {
      case PUBLISH -> onPublish((MqttPublishMessage) message);
      case PUBREL -> onPubRel(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
      case PINGREQ -> ctx.writeAndFlush(Packets.pingResp());
      case DISCONNECT -> onDisconnect(message);
      case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) message);
      case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) message);
      case PUBACK, PUBREC, PUBCOMP -> {
        // Inlet sends no PUBLISH; a stray acknowledgement is ignored.
      }
      default -> disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR); // a second CONNECT,
        // AUTH, or a server-to-client packet
    }
  }

  // ---- PUBLISH and its acknowledgements

  private void onPublish(MqttPublishMessage publish) {
    int qos = publish.fixedHeader().qosLevel().value();
    context.stats().publishReceived(qos);
    String topic = publish.variableHeader().topicName();
    if (version == MqttVersion.MQTT_5) {
      int alias = PublishProperties.topicAlias(publish.variableHeader().properties());
      if (alias >= 0) {
        if (aliases == null && settings.topicAliasMaximum() > 0) {
          aliases = new TopicAliases(settings.topicAliasMaximum());
        }
        if (aliases == null || !aliases.inRange(alias)) {
          disconnect(ReasonCodes.TOPIC_ALIAS_INVALID, Event.PROTOCOL_ERROR);
          return;
        }
        if (topic.isEmpty()) {
          topic = aliases.resolve(alias);
          if (topic == null) {
            disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR);
            return;
          }
        } else {
          aliases.set(alias, topic);
        }
      }
    }
    if (topic.isEmpty()) {
      disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR); // no topic and no alias
      return;
    }
    if (!TopicNames.isValid(topic)) {
      disconnect(ReasonCodes.MALFORMED_PACKET, Event.MALFORMED_PACKET); // the decoder lets none by
      return;
    }
    if (qos > 0) {
      if (acks == null) {
        acks = new AckQueue();
      }
      if (version == MqttVersion.MQTT_5 && acks.inflight() >= settings.receiveMaximum()) {
        disconnect(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, Event.PROTOCOL_ERROR);
        return;
      }
      acks.received();
    }
    int packetId = publish.variableHeader().packetId();
    if (!context.authenticator().mayPublish(identity, clientId, topic)) {
      int decision = decisions.denied();
      if (qos == 0) {
        if (decision == ReasonCodes.CLOSE) {
          close();
        }
      } else {
        enqueueAck(packetId, qos, CompletableFuture.completedFuture(decision));
      }
      return;
    }
    MqttProperties properties = publish.variableHeader().properties();
    InboundMessage message =
        new InboundMessage(
            topic,
            ByteBufUtil.getBytes(publish.payload()),
            qos,
            publish.fixedHeader().isRetain(),
            clientId,
            identity.username(),
            PublishProperties.userProperties(properties),
            PublishProperties.contentType(properties),
            "listener");
    if (qos == 0) {
      pendingQos0++;
      PublishDecisions d = decisions;
      ingest(message)
          .handle(d::decideQos0)
          .thenAccept(
              decision ->
                  onLoop(
                      () -> {
                        pendingQos0--;
                        if (decision == ReasonCodes.CLOSE) {
                          close();
                        } else {
                          maybeResumeReading();
                        }
                      }));
    } else if (qos == 1) {
      enqueueAck(packetId, qos, ingest(message).handle(decisions::decide));
    } else {
      PublishDecisions d = decisions;
      CompletableFuture<Integer> decision =
          session.qos2Decision(
              packetId,
              () -> ingest(message).handle(d::decide),
              () -> context.stats().record(Event.QOS2_DUPLICATE));
      enqueueAck(packetId, qos, decision);
    }
    maybePauseReading();
  }

  private CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    ListenerStats stats = context.stats();
    stats.ingestStarted();
    CompletableFuture<IngestOutcome> outcome;
    try {
      outcome = context.ingestor().ingest(message);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete((o, e) -> stats.ingestFinished());
    return outcome;
  }

  private void enqueueAck(int packetId, int qos, CompletableFuture<Integer> decision) {
    acks.add(packetId, qos, decision);
    if (decision.isDone()) {
      drainAcks();
    } else {
      decision.whenComplete((d, e) -> onLoop(this::drainAcks));
    }
  }

  private void drainAcks() {
    if (closed) {
      return;
    }
    boolean open = acks.drain(ctx);
    ctx.flush();
    if (!open) {
      close();
      return;
    }
    maybeResumeReading();
  }

  private void onPubRel(int packetId) {
    boolean known = session.release(packetId);
    int reason =
        known || version != MqttVersion.MQTT_5
            ? ReasonCodes.SUCCESS
            : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
    ctx.writeAndFlush(Packets.pubComp(packetId, reason));
    if (acks != null) {
      acks.completed();
    }
  }

  /**
   * Stops reading from a client whose publishes outpace the store (TCP backpressure): past the
   * receive maximum, which an MQTT 5 client may reach but not exceed with QoS 1/2 (so that a
   * violation is still read and answered with 0x93).
   */
  private void maybePauseReading() {
    if (!readPaused && queued() > settings.receiveMaximum()) {
      readPaused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void maybeResumeReading() {
    if (readPaused && !closed && queued() <= settings.receiveMaximum() / 2) {
      readPaused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private int queued() {
    return (acks == null ? 0 : acks.size()) + pendingQos0;
  }

  // ---- other packets

  private void onDisconnect(MqttMessage message) {
    int reason = 0;
    if (version == MqttVersion.MQTT_5
        && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
      reason = header.reasonCode() & 0xFF;
      MqttProperties.MqttProperty<?> expiry =
          header.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null && expiry.value() instanceof Integer asked) {
        long seconds = Integer.toUnsignedLong(asked);
        if (!context.sessions().setExpiry(session, seconds, settings.maxSessionExpirySeconds())) {
          disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR);
          return;
        }
      }
    }
    normalDisconnect = reason != ReasonCodes.DISCONNECT_WITH_WILL;
    close();
  }

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    // Inlet stores messages; it does not deliver them to MQTT subscribers.
    context.stats().record(Event.SUBSCRIBE_REFUSED);
    int code = version == MqttVersion.MQTT_5 ? ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR : 0x80;
    ctx.writeAndFlush(
        Packets.subAck(
            subscribe.variableHeader().messageId(),
            code,
            subscribe.payload().topicSubscriptions().size()));
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    ctx.writeAndFlush(
        Packets.unsubAck(
            unsubscribe.variableHeader().messageId(),
            ReasonCodes.NO_SUBSCRIPTION_EXISTED,
            unsubscribe.payload().topics().size()));
  }

  // ---- failures, timers, closing

  private void onDecodeFailure(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      disconnect(ReasonCodes.PACKET_TOO_LARGE, Event.OVERSIZED_PACKET);
    } else {
      disconnect(ReasonCodes.MALFORMED_PACKET, Event.MALFORMED_PACKET);
    }
  }

  /**
   * Closes the connection; MQTT 5 clients are told why with a DISCONNECT first. Will messages fire
   * (the close is not a normal DISCONNECT).
   */
  private void disconnect(int reasonV5, Event event) {
    if (closed) {
      return;
    }
    if (event != null) {
      context.stats().record(event);
    }
    boolean tell = version == MqttVersion.MQTT_5;
    closed = true;
    if (tell) {
      ctx.writeAndFlush(Packets.disconnect(reasonV5)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void close() {
    closed = true;
    ctx.close();
  }

  /** Another connection opened this client id's session (any thread). */
  @Override
  public void takenOver() {
    onLoop(() -> disconnect(ReasonCodes.SESSION_TAKEN_OVER, null));
  }

  /** The listener is stopping (any thread). */
  public void shutdown() {
    onLoop(() -> disconnect(ReasonCodes.SERVER_SHUTTING_DOWN, null));
  }

  private void onLoop(Runnable task) {
    EventExecutor executor = ctx.executor();
    if (executor.inEventLoop()) {
      task.run();
      return;
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the event loop is shutting down; the channel closes with it
    }
  }
}
