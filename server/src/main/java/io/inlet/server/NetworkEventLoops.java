package io.inlet.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of the node's network listeners: one boss thread that accepts connections ({@code
 * inlet-boss}), a worker group that serves gRPC, ExHook and MQTT ({@code inlet-io-N}, {@code
 * io-threads} of them, one fewer than the cores by default), and one thread of its own for the HTTP
 * endpoints ({@code inlet-http}), so that {@code /health} and {@code /ready} answer while MQTT
 * floods keep every worker busy (a liveness probe must not restart a node that is only loaded).
 * Blocking work never runs here. Closed after every listener.
 */
final class NetworkEventLoops implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventLoopGroup http;

  /** With {@code threads} workers ({@code io-threads}). */
  NetworkEventLoops(int threads) {
    this.boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("inlet-boss", true), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("inlet-io", true), NioIoHandler.newFactory());
    this.http =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("inlet-http", true), NioIoHandler.newFactory());
  }

  EventLoopGroup boss() {
    return boss;
  }

  EventLoopGroup workers() {
    return workers;
  }

  /** The HTTP endpoints' own loop, kept apart from the workers. */
  EventLoopGroup http() {
    return http;
  }

  @Override
  public void close() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    http.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    http.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
