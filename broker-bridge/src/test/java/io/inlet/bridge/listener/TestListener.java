package io.inlet.bridge.listener;

import io.inlet.api.ingest.MessageIngestor;
import io.inlet.bridge.auth.Authenticator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** A listener on ephemeral loopback ports with its own event loops, for tests. */
public final class TestListener implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Authenticator authenticator;
  private final MqttListener listener;

  private TestListener(
      EventLoopGroup boss, EventLoopGroup workers, Authenticator auth, MqttListener listener) {
    this.boss = boss;
    this.workers = workers;
    this.authenticator = auth;
    this.listener = listener;
  }

  public static TestListener start(MessageIngestor ingestor) {
    return start(MqttListenerSettings.forTests(), anonymous(), ingestor);
  }

  public static Authenticator.Settings anonymous() {
    return new Authenticator.Settings(null, null, true);
  }

  public static TestListener start(
      MqttListenerSettings settings, Authenticator.Settings auth, MessageIngestor ingestor) {
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("test-boss", true), NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("test-io", true), NioIoHandler.newFactory());
    Authenticator authenticator = Authenticator.start(auth);
    try {
      MqttListener listener = MqttListener.start(settings, authenticator, ingestor, boss, workers);
      return new TestListener(boss, workers, authenticator, listener);
    } catch (RuntimeException e) {
      authenticator.close();
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return listener.tcpPort();
  }

  public MqttListener listener() {
    return listener;
  }

  public ListenerStats stats() {
    return listener.stats();
  }

  public long count(ListenerStats.Event event) {
    return listener.stats().count(event);
  }

  @Override
  public void close() {
    listener.close();
    authenticator.close();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
