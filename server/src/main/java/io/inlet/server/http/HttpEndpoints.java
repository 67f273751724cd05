package io.inlet.server.http;

import io.inlet.server.net.ConnectionLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's HTTP endpoints: {@code GET /metrics} (every meter in the Prometheus text format),
 * {@code GET /health} (the process is alive) and {@code GET /ready} (the store is open and takes
 * writes, every listener is bound and, with replicated metadata, the node is caught up with a
 * majority of the metadata nodes; 503 otherwise). /health and /ready answer JSON.
 *
 * <p>Served by Netty on the node's shared event loops, so no client can hold up another: each
 * connection has {@link HttpSettings#requestTimeout()} to send a whole request (then it is closed),
 * requests are small (request line 4 KiB, headers 8 KiB, body 8 KiB at most), the port holds {@link
 * HttpSettings#maxConnections()} connections at most, and scrapes run on their own thread ({@code
 * inlet-http-scrape}) instead of an event loop. With a token set, /metrics answers 401 without
 * {@code Authorization: Bearer <token>}; /health and /ready stay open for probes.
 */
public final class HttpEndpoints implements AutoCloseable {
  /**
   * What /ready reports. A port is -1 while its listener is not bound; {@code storeRefusesWrites}
   * and {@code metadataLag} say why the store refuses writes or the node is not caught up with the
   * replicated metadata, null when it does not or is; {@code mqttRulesUnread} is true while a
   * cluster node has not read the cluster's MQTT mapping rules since it started (it refuses
   * publishes meanwhile).
   */
  public record Readiness(
      boolean ready,
      boolean storeOpen,
      int grpcPort,
      int httpPort,
      String storeRefusesWrites,
      String metadataLag,
      boolean mqttRulesUnread) {
    public Readiness(boolean ready, boolean storeOpen, int grpcPort, int httpPort) {
      this(ready, storeOpen, grpcPort, httpPort, null, null, false);
    }
  }

  /** What /metrics serves. */
  public interface Metrics {
    String contentType();

    /** The whole exposition; called off the event loops. */
    String scrape();
  }

  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_BODY = 8192;

  private final Channel server;
  private final ChannelGroup connections;
  private final ExecutorService scrapes;
  private final ConnectionLimiter limiter;

  private HttpEndpoints(
      Channel server,
      ChannelGroup connections,
      ExecutorService scrapes,
      ConnectionLimiter limiter) {
    this.server = server;
    this.connections = connections;
    this.scrapes = scrapes;
    this.limiter = limiter;
  }

  /**
   * Binds {@code bind:port} and serves on the given event loops (which stay the caller's).
   *
   * @throws BindException when the port is in use
   * @throws IOException when the port cannot be bound for another reason
   */
  public static HttpEndpoints start(
      String bind,
      int port,
      HttpSettings settings,
      Supplier<Readiness> readiness,
      Metrics metrics,
      EventLoopGroup boss,
      EventLoopGroup workers)
      throws IOException {
    ExecutorService scrapes =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-http-scrape");
              t.setDaemon(true);
              return t;
            });
    ChannelGroup connections = new DefaultChannelGroup("inlet-http", GlobalEventExecutor.INSTANCE);
    ConnectionLimiter limiter =
        new ConnectionLimiter("http", "http-max-connections", settings.maxConnections());
    MetricsToken token = new MetricsToken(settings.metricsToken());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .handler(limiter)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    connections.add(channel);
                    long timeout = settings.requestTimeout().toMillis();
                    channel
                        .pipeline()
                        .addLast(
                            "write-timeout",
                            new WriteTimeoutHandler(timeout, TimeUnit.MILLISECONDS))
                        .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192))
                        .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                        .addLast("deadline", new RequestDeadline(settings.requestTimeout()))
                        .addLast(
                            "endpoints", new EndpointHandler(readiness, metrics, scrapes, token));
                  }
                });
    try {
      Channel server = bootstrap.bind(new InetSocketAddress(bind, port)).sync().channel();
      return new HttpEndpoints(server, connections, scrapes, limiter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scrapes.shutdownNow();
      throw new IOException("interrupted while binding " + bind + ":" + port, e);
    } catch (Exception e) {
      // Netty rethrows the bind failure (a checked exception) without declaring it.
      scrapes.shutdownNow();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The port's connection cap, with its counts. */
  public ConnectionLimiter connections() {
    return limiter;
  }

  /** Stops accepting, closes every connection and the scrape thread. Idempotent. */
  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    scrapes.shutdownNow();
  }
}
