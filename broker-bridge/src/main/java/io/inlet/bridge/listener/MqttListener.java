package io.inlet.bridge.listener;

import io.inlet.api.ingest.MessageIngestor;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import io.inlet.bridge.listener.internal.ListenerCore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT listener: MQTT 3.1, 3.1.1 and 5 over TCP, TLS and WebSocket, feeding every publish to a
 * {@link MessageIngestor}. QoS 1/2 publishes are acknowledged only once the ingestor reports them
 * durable.
 *
 * <p>{@link #start} binds every configured endpoint or fails with {@link ListenerBindException}
 * (closing what it bound); an optional endpoint whose port is in use is skipped with a warning.
 * {@link #close} stops accepting, closes every connection and is idempotent. The event loop groups
 * belong to the caller (shared with the other network listeners) and are not shut down here.
 */
public final class MqttListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttListener.class);

  private final ListenerCore core;
  private final ListenerStats stats;
  private final List<Channel> serverChannels = new ArrayList<>();
  private int tcpPort = -1;
  private int tlsPort = -1;
  private int webSocketPort = -1;
  private volatile boolean closed;

  private MqttListener(ListenerCore core, ListenerStats stats) {
    this.core = core;
    this.stats = stats;
  }

  /**
   * Binds the endpoints of {@code settings}.
   *
   * @param boss accepts connections
   * @param workers serve connections (and time session expiry and will delays)
   * @throws ListenerBindException when an endpoint that is not optional cannot listen
   * @throws IllegalArgumentException when the TLS certificates cannot be loaded
   */
  public static MqttListener start(
      MqttListenerSettings settings,
      Authenticator authenticator,
      MessageIngestor ingestor,
      EventLoopGroup boss,
      EventLoopGroup workers) {
    ListenerStats stats = new ListenerStats();
    ListenerCore core = new ListenerCore(settings, authenticator, ingestor, stats, workers);
    MqttListener listener = new MqttListener(core, stats);
    try {
      if (settings.tcp() != null) {
        listener.tcpPort =
            listener.bind(settings, settings.tcp(), core.initializer(null, null), boss, workers);
      }
      if (settings.tls() != null) {
        SslContext ssl = sslContext(settings.tlsSettings());
        listener.tlsPort =
            listener.bind(settings, settings.tls(), core.initializer(ssl, null), boss, workers);
      }
      if (settings.webSocket() != null) {
        listener.webSocketPort =
            listener.bind(
                settings,
                settings.webSocket(),
                core.initializer(null, settings.webSocketPath()),
                boss,
                workers);
      }
      return listener;
    } catch (RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  private int bind(
      MqttListenerSettings settings,
      Endpoint endpoint,
      ChannelInitializer<Channel> initializer,
      EventLoopGroup boss,
      EventLoopGroup workers) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer);
    InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), endpoint.port());
    try {
      Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
      serverChannels.add(channel);
      return ((InetSocketAddress) channel.localAddress()).getPort();
    } catch (Exception e) {
      if (!isBindFailure(e)) {
        throw new ListenerBindException(
            "cannot listen on "
                + endpoint.setting()
                + " "
                + endpoint.port()
                + ": "
                + e.getMessage(),
            endpoint.setting(),
            endpoint.port(),
            e);
      }
      if (endpoint.optional()) {
        log.warn(
            "{} not started: port {} is in use (another broker?); set --{}",
            label(endpoint),
            endpoint.port(),
            endpoint.setting());
        return -1;
      }
      throw new ListenerBindException(
          endpoint.setting()
              + " "
              + endpoint.port()
              + " is already in use; choose another with --"
              + endpoint.setting()
              + " (0 picks a free port)",
          endpoint.setting(),
          endpoint.port(),
          e);
    }
  }

  private static String label(Endpoint endpoint) {
    return switch (endpoint.setting()) {
      case "ws-port" -> "MQTT over WebSocket listener";
      case "mqtts-port" -> "MQTT over TLS listener";
      default -> "MQTT listener";
    };
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static SslContext sslContext(TlsSettings tls) {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
      if (tls.clientAuth() != TlsSettings.ClientAuth.NONE) {
        builder
            .trustManager(tls.clientCaFile().toFile())
            .clientAuth(
                tls.clientAuth() == TlsSettings.ClientAuth.REQUIRED
                    ? ClientAuth.REQUIRE
                    : ClientAuth.OPTIONAL);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot load the TLS certificate "
              + tls.certFile()
              + " and key "
              + tls.keyFile()
              + (tls.clientCaFile() == null ? "" : " (client CA " + tls.clientCaFile() + ")")
              + ": "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The plain MQTT port, or -1 when not listening. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The MQTT over TLS port, or -1 when not listening. */
  public int tlsPort() {
    return tlsPort;
  }

  /** The MQTT over WebSocket port, or -1 when not listening. */
  public int webSocketPort() {
    return webSocketPort;
  }

  public ListenerStats stats() {
    return stats;
  }

  /** Sessions held in memory (connected or awaiting expiry). */
  public int sessions() {
    return core.sessions();
  }

  /** Stops accepting, then closes every connection (waiting up to 5 s for them to close). */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel channel : serverChannels) {
      channel.close().awaitUninterruptibly(timeout.toMillis());
    }
    core.shutdown(timeout);
  }
}
