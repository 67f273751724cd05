package io.inlet.bridge.listener.internal;

import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.session.MqttConnection;
import io.inlet.bridge.listener.internal.session.SessionRegistry;
import io.inlet.bridge.listener.internal.session.Will;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connections of one listener share: sessions, counters, the open channels. {@link
 * io.inlet.bridge.listener.MqttListener} binds the endpoints around it.
 */
public final class ListenerCore {
  private static final Logger log = LoggerFactory.getLogger(ListenerCore.class);

  private final ListenerContext context;

  /**
   * @param timers where session expiry and will delays are scheduled (the worker event loops)
   */
  public ListenerCore(
      MqttListenerSettings settings,
      Authenticator authenticator,
      MessageIngestor ingestor,
      ListenerStats stats,
      EventExecutorGroup timers) {
    ChannelGroup channels = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    SessionRegistry sessions =
        new SessionRegistry(timers, will -> publishWill(ingestor, stats, will), stats);
    this.context =
        new ListenerContext(settings, authenticator, ingestor, sessions, stats, channels);
  }

  private static void publishWill(MessageIngestor ingestor, ListenerStats stats, Will will) {
    try {
      ingestor
          .ingest(will.message())
          .whenComplete(
              (outcome, error) -> {
                if (error != null) {
                  log.warn(
                      "will of MQTT client {} not stored: {}",
                      will.message().clientId(),
                      error.toString());
                } else if (outcome instanceof IngestOutcome.Stored) {
                  stats.record(ListenerStats.Event.WILL_PUBLISHED);
                } else {
                  log.debug("will of MQTT client {}: {}", will.message().clientId(), outcome);
                }
              });
    } catch (RuntimeException e) {
      log.warn("will of MQTT client {} not stored: {}", will.message().clientId(), e.toString());
    }
  }

  /**
   * The pipeline for one endpoint.
   *
   * @param ssl TLS context, or null
   * @param webSocketPath the WebSocket path, or null for plain MQTT
   */
  public ChannelInitializer<Channel> initializer(SslContext ssl, String webSocketPath) {
    return new MqttChannelInitializer(context, ssl, webSocketPath);
  }

  /** Sessions held in memory (connected or awaiting expiry). */
  public int sessions() {
    return context.sessions().size();
  }

  /**
   * Ends every session (no wills fire: Inlet is stopping, not the clients) and closes every
   * connection, MQTT 5 clients with DISCONNECT 0x8B; waits up to {@code timeout}.
   */
  public void shutdown(Duration timeout) {
    context.sessions().close();
    for (Channel channel : context.channels()) {
      MqttConnection connection = channel.pipeline().get(MqttConnection.class);
      if (connection != null) {
        connection.shutdown();
      } else {
        channel.close();
      }
    }
    context
        .channels()
        .newCloseFuture()
        .awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
