package io.inlet.bridge.listener.internal;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.topic.TopicNames;
import io.inlet.bridge.auth.AuthResult;
import io.inlet.bridge.auth.Identity;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection, after the decoder: CONNECT, publishes and their acknowledgements,
 * keep-alive, DISCONNECT. Every field is confined to the channel's event loop; work that completes
 * elsewhere (authentication, ingest) hops back to it.
 *
 * <p>Acknowledgements: a QoS 1/2 publish is answered (PUBACK/PUBREC) only once its ingest
 * completed, and answers leave in the order the publishes arrived (MQTT 3.1.1 §4.6), however the
 * completions are ordered.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
  private static final AttributeKey<MqttVersion> DECODED_VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  private enum State {
    AWAIT_CONNECT,
    AUTHENTICATING,
    CONNECTED,
    CLOSED
  }

  private final ListenerContext context;
  private final MqttListenerSettings settings;

  // event loop only
  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_CONNECT;
  private MqttVersion version = MqttVersion.MQTT_3_1_1;
  private String clientId;
  private Identity identity;
  private Session session;
  private PublishDecisions decisions;
  private long keepAliveNanos;
  private long lastReadNanos;
  private ScheduledFuture<?> timer;
  private AckQueue acks;
  private ArrayDeque<MqttMessage> held;
  private TopicAliases aliases;
  private int pendingQos0;
  private boolean readPaused;
  private boolean normalDisconnect;
  private long packetsRead;

  MqttConnection(ListenerContext context) {
    this.context = context;
    this.settings = context.settings();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    context.stats().record(Event.CONNECTION_OPENED);
    context.channels().add(ctx.channel());
    lastReadNanos = System.nanoTime();
    schedule(settings.connectTimeout().toNanos());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
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

  /** Messages the decoder passed on, valid or not (for {@link MqttPacketFramer}). */
  long packetsRead() {
    return packetsRead;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttMessage) {
      packetsRead++;
    }
    if (!(msg instanceof MqttMessage message) || state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
      return;
    }
    lastReadNanos = System.nanoTime();
    if (message.decoderResult().isFailure()) {
      ReferenceCountUtil.release(message);
      onDecodeFailure(message.decoderResult().cause());
      return;
    }
    if (state == State.AUTHENTICATING) {
      if (held == null) {
        held = new ArrayDeque<>(2);
      }
      held.add(message);
      return;
    }
    try {
      dispatch(message);
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void dispatch(MqttMessage message) {
    if (state == State.AWAIT_CONNECT) {
      if (message instanceof MqttConnectMessage connect) {
        onConnect(connect);
      } else {
        protocolError(); // the first packet must be CONNECT
      }
      return;
    }
    if (state != State.CONNECTED) {
      return;
    }
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
      default -> protocolError(); // a second CONNECT, AUTH, or a server-to-client packet
    }
  }

  // ---- CONNECT

  private void onConnect(MqttConnectMessage connect) {
    ConnectRequest request;
    try {
      request = ConnectRequest.of(connect, settings);
    } catch (RuntimeException e) {
      onDecodeFailure(new DecoderException("CONNECT not usable: " + e, e)); // 0x81, MQTT 3: close
      return;
    }
    version = request.version();
    if (request.refusal() != 0) {
      refuseConnect(request.refusal());
      return;
    }
    CompletableFuture<AuthResult> auth =
        context
            .authenticator()
            .authenticate(
                request.username(),
                request.password(),
                ClientCertificates.commonName(ctx),
                ClientAddresses.of(ctx.channel()));
    if (auth.isDone()) {
      finishConnect(request, auth.join());
      return;
    }
    state = State.AUTHENTICATING;
    ctx.channel().config().setAutoRead(false);
    auth.whenComplete(
        (result, error) ->
            onLoop(
                () ->
                    finishConnect(
                        request,
                        result != null
                            ? result
                            : AuthResult.refused(AuthResult.Outcome.BAD_CREDENTIALS))));
  }

  private void finishConnect(ConnectRequest request, AuthResult auth) {
    if (state == State.CLOSED || !ctx.channel().isActive()) {
      return;
    }
    if (!auth.isAccepted()) {
      refuseConnect(
          switch (auth.outcome()) {
            case BAD_CREDENTIALS -> ReasonCodes.BAD_USERNAME_OR_PASSWORD;
            case THROTTLED -> ReasonCodes.BANNED;
            default -> ReasonCodes.NOT_AUTHORIZED;
          });
      return;
    }
    identity = auth.identity();
    clientId = request.clientId();
    Will will = request.will();
    if (will != null) {
      if (!context.authenticator().mayPublish(identity, clientId, will.message().topic())) {
        refuseConnect(ReasonCodes.NOT_AUTHORIZED);
        return;
      }
      will = will.withUsername(identity.username());
    }
    decisions =
        new PublishDecisions(
            request.isV5(), settings.unmatchedPublish(), settings.deniedPublish(), context.stats());
    SessionRegistry.Opened opened =
        context
            .sessions()
            .open(clientId, request.cleanStart(), request.expirySeconds(), will, this);
    session = opened.session();
    MqttProperties properties =
        request.isV5() ? ConnAckProperties.of(request, settings) : MqttProperties.NO_PROPERTIES;
    ctx.write(Packets.connAck(ReasonCodes.SUCCESS, opened.present(), properties));
    context.stats().record(Event.CONNECT_ACCEPTED);
    state = State.CONNECTED;
    keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(request.keepAliveSeconds() * 1500L);
    if (timer != null) {
      timer.cancel(false);
    }
    schedule(keepAliveNanos);
    ArrayDeque<MqttMessage> early = held;
    held = null;
    while (early != null && !early.isEmpty()) {
      MqttMessage message = early.poll();
      try {
        if (state == State.CONNECTED) {
          dispatch(message);
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }
    ctx.flush();
    if (state == State.CONNECTED && !readPaused) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Answers CONNECT with a refusal (MQTT 5 code, mapped for MQTT 3) and closes. */
  private void refuseConnect(int reasonV5) {
    context.stats().record(ReasonCodes.connectRefusalEvent(reasonV5));
    int code = version == MqttVersion.MQTT_5 ? reasonV5 : ReasonCodes.connackV3(reasonV5);
    state = State.CLOSED;
    if (code == ReasonCodes.CLOSE) {
      ctx.close();
    } else {
      ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
          .addListener(ChannelFutureListener.CLOSE);
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
    if (state != State.CONNECTED) {
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
    if (readPaused && state == State.CONNECTED && queued() <= settings.receiveMaximum() / 2) {
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
    if (state == State.AWAIT_CONNECT) {
      MqttVersion decoded = ctx.channel().attr(DECODED_VERSION).get();
      if (decoded != null) {
        version = decoded;
      }
      int reason = ReasonCodes.connectRefusalFor(cause);
      if (reason == ReasonCodes.UNSUPPORTED_PROTOCOL_VERSION) {
        version = MqttVersion.MQTT_3_1_1; // answered as MQTT 3.1.1 (0x01), which every client reads
      } else if (reason == ReasonCodes.PACKET_TOO_LARGE) {
        context.stats().record(Event.OVERSIZED_PACKET);
      }
      refuseConnect(reason);
      return;
    }
    if (cause instanceof TooLongFrameException) {
      disconnect(ReasonCodes.PACKET_TOO_LARGE, Event.OVERSIZED_PACKET);
    } else {
      disconnect(ReasonCodes.MALFORMED_PACKET, Event.MALFORMED_PACKET);
    }
  }

  private void protocolError() {
    if (state == State.AWAIT_CONNECT) {
      context.stats().record(Event.PROTOCOL_ERROR);
      close();
    } else {
      disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR);
    }
  }

  private void schedule(long delayNanos) {
    timer = ctx.executor().schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    timer = null;
    if (state == State.CLOSED) {
      return;
    }
    if (state != State.CONNECTED) {
      log.debug("MQTT connection {}: no CONNECT in time", ctx.channel().remoteAddress());
      close();
      return;
    }
    long now = System.nanoTime();
    if (readPaused) {
      lastReadNanos = now; // we stopped reading: the client is not idle
    }
    long idle = now - lastReadNanos;
    if (idle >= keepAliveNanos) {
      disconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT, Event.KEEP_ALIVE_TIMEOUT);
      return;
    }
    schedule(keepAliveNanos - idle);
  }

  /**
   * Closes the connection; MQTT 5 clients past CONNACK are told why with a DISCONNECT first. Will
   * messages fire (the close is not a normal DISCONNECT).
   */
  private void disconnect(int reasonV5, Event event) {
    if (state == State.CLOSED) {
      return;
    }
    if (event != null) {
      context.stats().record(event);
    }
    boolean tell = state == State.CONNECTED && version == MqttVersion.MQTT_5;
    state = State.CLOSED;
    if (tell) {
      ctx.writeAndFlush(Packets.disconnect(reasonV5)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void close() {
    state = State.CLOSED;
    ctx.close();
  }

  /** Another connection opened this client id's session (any thread). */
  void takenOver() {
    onLoop(() -> disconnect(ReasonCodes.SESSION_TAKEN_OVER, null));
  }

  /** The listener is stopping (any thread). */
  void shutdown() {
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
