package io.inlet.bridge.listener.internal.connect;

import io.inlet.bridge.auth.AuthResult;
import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.ListenerContext;
import io.inlet.bridge.listener.internal.Packets;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.inlet.bridge.listener.internal.session.MqttConnection;
import io.inlet.bridge.listener.internal.session.SessionRegistry;
import io.inlet.bridge.listener.internal.session.Will;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
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
 * The first stage of an MQTT connection: waits for CONNECT (within the connect timeout),
 * authenticates off the event loop (holding packets that arrive meanwhile), opens the session and
 * answers CONNACK. On success it leaves the pipeline: an {@link IdleStateHandler} (keep-alive, 1.5
 * × the keep-alive in force) and the {@link MqttConnection} take its place and get the held
 * packets. A refusal is a CONNACK with a reason code (MQTT 5 code, mapped for MQTT 3), then close.
 *
 * <p>Every field is confined to the channel's event loop.
 */
public final class MqttConnectHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(MqttConnectHandler.class);
  private static final AttributeKey<MqttVersion> DECODED_VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  /** The pipeline names of the handlers that replace this one. */
  public static final String IDLE = "mqtt-idle";

  public static final String CONNECTION = "mqtt";

  private final ListenerContext context;
  private final MqttListenerSettings settings;

  // event loop only
  private ChannelHandlerContext ctx;
  private boolean authenticating;
  private boolean done;
  private MqttVersion version = MqttVersion.MQTT_3_1_1;
  private ScheduledFuture<?> timeout;
  private ArrayDeque<MqttMessage> held;

  public MqttConnectHandler(ListenerContext context) {
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
    timeout =
        ctx.executor()
            .schedule(this::onTimeout, settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // still here: the connection never got past CONNECT
    done = true;
    cancelTimeout();
    releaseHeld();
    context.stats().record(Event.CONNECTION_CLOSED);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("MQTT connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MqttMessage message) || done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (message.decoderResult().isFailure()) {
      ReferenceCountUtil.release(message);
      onDecodeFailure(message.decoderResult().cause());
      return;
    }
    if (authenticating) {
      if (held == null) {
        held = new ArrayDeque<>(2);
      }
      held.add(message);
      return;
    }
    try {
      if (message instanceof MqttConnectMessage connect) {
        onConnect(connect);
      } else {
        context.stats().record(Event.PROTOCOL_ERROR); // the first packet must be CONNECT
        close();
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

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
      refuse(request.refusal());
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
      finish(request, auth.join());
      return;
    }
    authenticating = true;
    ctx.channel().config().setAutoRead(false);
    auth.whenComplete(
        (result, error) ->
            onLoop(
                () ->
                    finish(
                        request,
                        result != null
                            ? result
                            : AuthResult.refused(AuthResult.Outcome.BAD_CREDENTIALS))));
  }

  private void finish(ConnectRequest request, AuthResult auth) {
    authenticating = false;
    if (done || !ctx.channel().isActive()) {
      return;
    }
    if (!auth.isAccepted()) {
      refuse(
          switch (auth.outcome()) {
            case BAD_CREDENTIALS -> ReasonCodes.BAD_USERNAME_OR_PASSWORD;
            case THROTTLED -> ReasonCodes.BANNED;
            default -> ReasonCodes.NOT_AUTHORIZED;
          });
      return;
    }
    Will will = request.will();
    if (will != null) {
      if (!context
          .authenticator()
          .mayPublish(auth.identity(), request.clientId(), will.message().topic())) {
        refuse(ReasonCodes.NOT_AUTHORIZED);
        return;
      }
      will = will.withUsername(auth.identity().username());
    }
    done = true;
    cancelTimeout();
    MqttConnection connection = new MqttConnection(context, request, auth.identity());
    long keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(request.keepAliveSeconds() * 1500L);
    // this handler leaves; keep-alive and the connected life cycle take its place (before the
    // session opens, so that a take-over finds the connection in its pipeline)
    ctx.pipeline().replace(this, CONNECTION, connection);
    ctx.pipeline()
        .addBefore(
            CONNECTION, IDLE, new IdleStateHandler(keepAliveNanos, 0, 0, TimeUnit.NANOSECONDS));
    SessionRegistry.Opened opened =
        context
            .sessions()
            .open(
                request.clientId(),
                request.cleanStart(),
                request.expirySeconds(),
                will,
                connection);
    MqttProperties properties =
        request.isV5() ? ConnAckProperties.of(request, settings) : MqttProperties.NO_PROPERTIES;
    ArrayDeque<MqttMessage> early = held;
    held = null;
    connection.connected(
        opened.session(),
        Packets.connAck(ReasonCodes.SUCCESS, opened.present(), properties),
        early);
  }

  /** Answers CONNECT with a refusal (MQTT 5 code, mapped for MQTT 3) and closes. */
  private void refuse(int reasonV5) {
    context.stats().record(ReasonCodes.connectRefusalEvent(reasonV5));
    int code = version == MqttVersion.MQTT_5 ? reasonV5 : ReasonCodes.connackV3(reasonV5);
    done = true;
    if (code == ReasonCodes.CLOSE) {
      ctx.close();
    } else {
      ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void onDecodeFailure(Throwable cause) {
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
    refuse(reason);
  }

  private void onTimeout() {
    timeout = null;
    if (!done) {
      log.debug("MQTT connection {}: no CONNECT in time", ctx.channel().remoteAddress());
      close();
    }
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private void releaseHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }

  private void close() {
    done = true;
    ctx.close();
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
