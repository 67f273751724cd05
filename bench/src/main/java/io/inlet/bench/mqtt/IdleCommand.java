package io.inlet.bench.mqtt;

import io.inlet.bench.report.ProcessUsage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Opens many MQTT connections that stay idle (keep-alive pings only) and reports the broker's
 * resident memory per connection. Spreads connections over several loopback source addresses
 * because one source address runs out of ephemeral ports at about 28,000.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description =
        "Hold idle connections; with --server-pid reports the broker's RSS per connection.")
final class IdleCommand implements Callable<Integer> {

  @Mixin ConnectOptions connection;

  @Option(
      names = "--connections",
      defaultValue = "10000",
      description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--per-source-address",
      defaultValue = "20000",
      description =
          "Connections per local address 127.0.0.2, 127.0.0.3, ... (default: ${DEFAULT-VALUE}).")
  int perSourceAddress;

  @Option(
      names = "--source-prefix",
      defaultValue = "127.0.0.",
      description =
          "Local addresses are this prefix followed by 2, 3, ...; give each client process its"
              + " own (e.g. 127.0.1.), since a bound source port is unique per address"
              + " (default: ${DEFAULT-VALUE}).")
  String sourcePrefix;

  @Option(
      names = "--concurrency",
      defaultValue = "500",
      description = "CONNECTs awaiting CONNACK at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--hold",
      defaultValue = "30",
      description =
          "Seconds to hold the connections after the last CONNACK (default: ${DEFAULT-VALUE}).")
  int holdSeconds;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Event-loop threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--server-pid",
      description = "Broker process id: reports its RSS before and after, from /proc.")
  Long serverPid;

  @Override
  public Integer call() throws Exception {
    long rssBefore = serverPid == null ? 0 : ProcessUsage.residentBytes(serverPid);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Semaphore pending = new Semaphore(concurrency);
    List<Channel> channels = new ArrayList<>(connections);
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("mqtt-idle-io"), NioIoHandler.newFactory());
    try {
      long start = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        pending.acquire();
        InetSocketAddress local =
            new InetSocketAddress(sourcePrefix + (2 + i / perSourceAddress), 0);
        int index = i;
        Channel channel =
            new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                            .addLast(
                                new MqttDecoder(),
                                MqttEncoder.INSTANCE,
                                new ConnAckCounter(pending, accepted, failed));
                      }
                    })
                .connect(new InetSocketAddress(connection.host, connection.port), local)
                .addListener(
                    f -> {
                      if (f.isSuccess()) {
                        ((io.netty.channel.ChannelFuture) f)
                            .channel()
                            .writeAndFlush(connection.connect(index));
                      } else {
                        failed.incrementAndGet();
                        pending.release();
                      }
                    })
                .channel();
        channels.add(channel);
        if (i % 10_000 == 9_999) {
          System.out.printf(
              "  %d connecting, %d accepted, %d failed%n", i + 1, accepted.get(), failed.get());
        }
      }
      pending.acquire(concurrency);
      System.out.printf(
          "%d connections accepted, %d failed, in %.1f s%n",
          accepted.get(), failed.get(), (System.nanoTime() - start) / 1e9);
      TimeUnit.SECONDS.sleep(holdSeconds);
      long open = channels.stream().filter(Channel::isActive).count();
      if (serverPid != null) {
        long rssAfter = ProcessUsage.residentBytes(serverPid);
        System.out.printf(
            "server RSS %d MiB -> %d MiB: %.0f bytes per connection (%d still open)%n",
            rssBefore >> 20,
            rssAfter >> 20,
            (rssAfter - rssBefore) / (double) Math.max(1, open),
            open);
      } else {
        System.out.printf("%d still open%n", open);
      }
      return failed.get() == 0 && open == connections ? 0 : 1;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Counts the CONNACK of one connection and frees its CONNECT slot. */
  private static final class ConnAckCounter extends ChannelInboundHandlerAdapter {
    private final Semaphore pending;
    private final AtomicInteger accepted;
    private final AtomicInteger failed;
    private boolean answered; // event loop only

    ConnAckCounter(Semaphore pending, AtomicInteger accepted, AtomicInteger failed) {
      this.pending = pending;
      this.accepted = accepted;
      this.failed = failed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!answered && msg instanceof MqttConnAckMessage ack) {
        answered = true;
        if (ack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          accepted.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
        pending.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!answered) {
        answered = true;
        failed.incrementAndGet();
        pending.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
