package io.inlet.bridge.listener.internal.session;

import io.inlet.bridge.auth.Identity;
import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.ListenerContext;
import io.inlet.bridge.listener.internal.Packets;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.inlet.bridge.listener.internal.connect.ConnectRequest;
import io.inlet.bridge.listener.internal.connect.MqttConnectHandler;
import io.inlet.bridge.listener.internal.publish.ConnectionControl;
import io.inlet.bridge.listener.internal.publish.InboundPublishes;
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
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection once CONNACK is sent (its {@link MqttConnectHandler} has left the pipeline):
 * routes each packet (publishes and their acknowledgements to {@link InboundPublishes}) and owns
 * the connection's life: keep-alive (the {@link IdleStateHandler} before it says when the client
 * has been silent too long), DISCONNECT, protocol errors, session take-over and shutdown. Every
 * field is confined to the channel's event loop; work that completes elsewhere hops back to it.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter
    implements SessionOwner, ConnectionControl {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

  private final ListenerContext context;
  private final MqttListenerSettings settings;
  private final ConnectRequest request;
  private final Identity identity;

  // event loop only
  private ChannelHandlerContext ctx;
  private boolean closed;
  private Session session;
  private InboundPublishes publishes;
  private boolean normalDisconnect;

  public MqttConnection(ListenerContext context, ConnectRequest request, Identity identity) {
    this.context = context;
    this.settings = context.settings();
    this.request = request;
    this.identity = identity;
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
    this.publishes = new InboundPublishes(context, request, identity, session, ctx, this);
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
    if (!closed && !publishes.readPaused()) {
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
      if (publishes == null || !publishes.readPaused()) {
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
      case PUBLISH -> publishes.onPublish((MqttPublishMessage) message);
      case PUBREL ->
          publishes.onPubRel(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
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

  private void onDisconnect(MqttMessage message) {
    int reason = 0;
    if (request.isV5()
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
    int code = request.isV5() ? ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR : 0x80;
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

  private void onDecodeFailure(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      disconnect(ReasonCodes.PACKET_TOO_LARGE, Event.OVERSIZED_PACKET);
    } else {
      disconnect(ReasonCodes.MALFORMED_PACKET, Event.MALFORMED_PACKET);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the connection; MQTT 5 clients are told why with a DISCONNECT first. Will messages fire
   * (the close is not a normal DISCONNECT).
   */
  @Override
  public void disconnect(int reasonV5, Event event) {
    if (closed) {
      return;
    }
    if (event != null) {
      context.stats().record(event);
    }
    closed = true;
    if (request.isV5()) {
      ctx.writeAndFlush(Packets.disconnect(reasonV5)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  @Override
  public void close() {
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

  @Override
  public void onLoop(Runnable task) {
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
