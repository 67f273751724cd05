package io.inlet.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops every network listener of the node shares (gRPC, ExHook, MQTT, HTTP): one boss
 * thread that accepts connections ({@code inlet-boss}) and a worker group that serves them ({@code
 * inlet-io-N}). Blocking work never runs here. Closed after every listener.
 */
final class NetworkEventLoops implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  NetworkEventLoops() {
    int threads = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    this.boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("inlet-boss", true), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("inlet-io", true), NioIoHandler.newFactory());
  }

  EventLoopGroup boss() {
    return boss;
  }

  EventLoopGroup workers() {
    return workers;
  }

  @Override
  public void close() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
