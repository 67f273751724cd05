package io.inlet.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one port holds open. It sits on the port's accepting channel and sees each
 * new connection before its pipeline exists: past the cap the connection is closed at once (the
 * client sees the connection closed before any byte), so a flood of connections costs a socket for
 * a moment, not memory for a protocol stack. Every connection that closes frees its place.
 *
 * <p>One instance per port; it may be added to that port's accepting channel only.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String listener;
  private final String setting;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /**
   * @param listener what the port serves, for logs and metrics ({@code grpc}, {@code exhook},
   *     {@code http})
   * @param setting the option that sets the cap, named in the warning
   * @param max connections held open at most
   */
  public ConnectionLimiter(String listener, String setting, int max) {
    if (max < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1, found: " + max);
    }
    this.listener = listener;
    this.setting = setting;
    this.max = max;
  }

  /** Accepting channels (NIO) that carry this limiter, for {@code channelFactory} of a builder. */
  public ChannelFactory<ServerChannel> nioServerChannels() {
    return () -> {
      NioServerSocketChannel channel = new NioServerSocketChannel();
      channel.pipeline().addLast("connection-limit", this);
      return channel;
    };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Channel connection)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.incrementAndGet();
      warnRefused();
      connection.unsafe().closeForcibly();
      return;
    }
    connection.closeFuture().addListener(closed -> open.decrementAndGet());
    ctx.fireChannelRead(connection);
  }

  private void warnRefused() {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn(
          "{}: {} connections open, the most {} allows; closing new ones at once ({} so far)",
          listener,
          max,
          setting,
          refused.get());
    }
  }

  /** What the port serves: {@code grpc}, {@code exhook} or {@code http}. */
  public String listener() {
    return listener;
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed at once because the cap was reached, since start. */
  public long refused() {
    return refused.get();
  }

  public int max() {
    return max;
  }
}
