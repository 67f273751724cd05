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
import io.inlet.bridge.listener.internal.session.Session;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The publishes of one connection: checks each PUBLISH ({@link TopicAliases}, {@link TopicNames},
 * the ACL, receive maximum), hands it to the ingestor, answers QoS 1/2 with PUBACK/PUBREC (and
 * PUBREL with PUBCOMP) only once its ingest completed, in the order the publishes arrived ({@link
 * AckQueue}, MQTT 3.1.1 §4.6), and stops reading from a client whose publishes outpace the store.
 * Event loop only; ingest completions hop back to it.
 */
public final class InboundPublishes {
  private final ListenerContext context;
  private final MqttListenerSettings settings;
  private final ConnectionControl connection;
  private final ChannelHandlerContext ctx;
  private final boolean v5;
  private final String clientId;
  private final Identity identity;
  private final PublishDecisions decisions;
  private final Session session;

  // event loop only
  private AckQueue acks;
  private TopicAliases aliases;
  private int pendingQos0;
  private boolean readPaused;

  /** A drain is queued on the event loop and has not started yet (any thread). */
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  private final Runnable scheduledDrain =
      () -> {
        drainScheduled.set(false);
        drainAcks();
      };

  public InboundPublishes(
      ListenerContext context,
      ConnectRequest request,
      Identity identity,
      Session session,
      ChannelHandlerContext ctx,
      ConnectionControl connection) {
    this.context = context;
    this.settings = context.settings();
    this.v5 = request.isV5();
    this.clientId = request.clientId();
    this.identity = identity;
    this.session = session;
    this.ctx = ctx;
    this.connection = connection;
    this.decisions =
        new PublishDecisions(
            v5, settings.unmatchedPublish(), settings.deniedPublish(), context.stats());
  }

  /** Whether reading is paused for backpressure (then the client is not idle). */
  public boolean readPaused() {
    return readPaused;
  }

  public void onPublish(MqttPublishMessage publish) {
    int qos = publish.fixedHeader().qosLevel().value();
    context.stats().publishReceived(qos);
    String topic = topicOf(publish);
    if (topic == null) {
      return; // disconnected
    }
    if (qos > 0) {
      if (acks == null) {
        acks = new AckQueue();
      }
      if (v5 && acks.inflight() >= settings.receiveMaximum()) {
        connection.disconnect(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, Event.PROTOCOL_ERROR);
        return;
      }
      acks.received();
    }
    int packetId = publish.variableHeader().packetId();
    if (!context.authenticator().mayPublish(identity, clientId, topic)) {
      int decision = decisions.denied();
      if (qos == 0) {
        if (decision == ReasonCodes.CLOSE) {
          connection.close();
        }
      } else {
        acks.add(packetId, qos).decide(decision);
        drainAcks();
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
          .whenComplete(
              (outcome, error) -> {
                context.stats().ingestFinished();
                int decision = d.decideQos0(outcome, error);
                connection.onLoop(
                    () -> {
                      pendingQos0--;
                      if (decision == ReasonCodes.CLOSE) {
                        connection.close();
                      } else {
                        maybeResumeReading();
                      }
                    });
              });
    } else if (qos == 1) {
      AckQueue.PendingAck ack = acks.add(packetId, qos);
      PublishDecisions d = decisions;
      // One callback per publish, run where the store completes it: count, decide, wake the loop.
      ingest(message)
          .whenComplete(
              (outcome, error) -> {
                context.stats().ingestFinished();
                ack.decide(d.decide(outcome, error));
                drainSoon();
              });
    } else {
      PublishDecisions d = decisions;
      CompletableFuture<Integer> decision =
          session.qos2Decision(
              packetId,
              () ->
                  ingest(message)
                      .handle(
                          (outcome, error) -> {
                            context.stats().ingestFinished();
                            return d.decide(outcome, error);
                          }),
              () -> context.stats().record(Event.QOS2_DUPLICATE));
      enqueueAck(packetId, qos, decision);
    }
    maybePauseReading();
  }

  /**
   * The topic a publish is for, resolving an MQTT 5 topic alias; null (and the connection is
   * closed) when it has none or an invalid one.
   */
  private String topicOf(MqttPublishMessage publish) {
    String topic = publish.variableHeader().topicName();
    if (v5) {
      int alias = PublishProperties.topicAlias(publish.variableHeader().properties());
      if (alias >= 0) {
        if (aliases == null && settings.topicAliasMaximum() > 0) {
          aliases = new TopicAliases(settings.topicAliasMaximum());
        }
        if (aliases == null || !aliases.inRange(alias)) {
          connection.disconnect(ReasonCodes.TOPIC_ALIAS_INVALID, Event.PROTOCOL_ERROR);
          return null;
        }
        if (topic.isEmpty()) {
          topic = aliases.resolve(alias);
          if (topic == null) {
            connection.disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR);
            return null;
          }
        } else {
          aliases.set(alias, topic);
        }
      }
    }
    if (topic.isEmpty()) {
      connection.disconnect(ReasonCodes.PROTOCOL_ERROR, Event.PROTOCOL_ERROR); // no topic, no alias
      return null;
    }
    if (!TopicNames.isValid(topic)) {
      // the decoder lets none by
      connection.disconnect(ReasonCodes.MALFORMED_PACKET, Event.MALFORMED_PACKET);
      return null;
    }
    return topic;
  }

  /** PUBREL: the QoS 2 flow ends with PUBCOMP. */
  public void onPubRel(int packetId) {
    boolean known = session.release(packetId);
    int reason = known || !v5 ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
    ctx.writeAndFlush(Packets.pubComp(packetId, reason));
    if (acks != null) {
      acks.completed();
    }
  }

  /**
   * Hands the message to the ingestor; the caller's completion must call {@link
   * ListenerStats#ingestFinished()}.
   */
  private CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    context.stats().ingestStarted();
    try {
      return context.ingestor().ingest(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void enqueueAck(int packetId, int qos, CompletableFuture<Integer> decision) {
    AckQueue.PendingAck ack = acks.add(packetId, qos);
    decision.whenComplete(
        (d, e) -> {
          ack.decide(e != null || d == null ? ReasonCodes.CLOSE : d);
          drainSoon();
        });
  }

  /**
   * Drains the acknowledgements now when called on the event loop, else once on it, however many
   * decisions arrive before it runs: one task and one flush for all the acks a group commit
   * completes on this connection.
   */
  private void drainSoon() {
    if (ctx.executor().inEventLoop()) {
      drainAcks();
    } else if (drainScheduled.compareAndSet(false, true)) {
      connection.onLoop(scheduledDrain);
    }
  }

  private void drainAcks() {
    if (connection.isClosed()) {
      return;
    }
    boolean open = acks.drain(ctx);
    ctx.flush();
    if (!open) {
      connection.close();
      return;
    }
    maybeResumeReading();
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
    if (readPaused && !connection.isClosed() && queued() <= settings.receiveMaximum() / 2) {
      readPaused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private int queued() {
    return (acks == null ? 0 : acks.size()) + pendingQos0;
  }
}
