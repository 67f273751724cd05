package io.inlet.bench.mqtt;

import io.inlet.bench.report.ProcessUsage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publishes from many clients for a warm-up and a measured window, then prints the figures. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publish load; prints msgs/s, PUBACK latency and (with --server-pid) server CPU.")
final class PublishCommand implements Callable<Integer> {

  @Mixin ConnectOptions connection;

  @Option(
      names = "--clients",
      defaultValue = "50",
      description = "Publishing clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--qos",
      defaultValue = "1",
      description = "0, 1 or 2 (default: ${DEFAULT-VALUE}).")
  int qos;

  @Option(
      names = "--payload",
      defaultValue = "256",
      description = "Payload bytes (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--window",
      defaultValue = "16",
      description =
          "Unacknowledged QoS 1/2 publishes per client, 1..65535 (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Target msgs/s over all clients, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--spread",
      description =
          "With --rate: start client i of n i/n of a message interval late, so that the rate"
              + " arrives evenly, as from devices on timers of their own. By default every client"
              + " starts at once, and each interval's messages come as one burst of all clients.")
  boolean spread;

  @Option(
      names = "--duration",
      defaultValue = "30",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--topic",
      defaultValue = "bench/%d",
      description = "Topic; %%d becomes the client number (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Event-loop threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--server-pid",
      description = "Broker process id: reports its CPU time per acknowledged message, from /proc.")
  Long serverPid;

  @Option(names = "--label", defaultValue = "", description = "Printed with the result.")
  String label;

  @Override
  public Integer call() throws Exception {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("--qos must be 0, 1 or 2, found: " + qos);
    }
    if (window < 1 || window > 65535) {
      throw new IllegalArgumentException("--window must be 1..65535, found: " + window);
    }
    connection.version();
    byte[] bytes = new byte[payloadBytes];
    ThreadLocalRandom.current().nextBytes(bytes);
    ByteBuf payload =
        Unpooled.unreleasableBuffer(Unpooled.directBuffer(payloadBytes).writeBytes(bytes));
    LoadStats stats = new LoadStats();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("mqtt-bench-io"), NioIoHandler.newFactory());
    try {
      List<PublisherHandler> publishers = connect(group, payload, stats);
      for (int i = 0; i < publishers.size(); i++) {
        publishers.get(i).start(spread ? (double) i / publishers.size() : 0);
      }
      TimeUnit.SECONDS.sleep(warmupSeconds);
      stats.startInterval();
      double cpuBefore = serverPid == null ? 0 : ProcessUsage.cpuSeconds(serverPid);
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(durationSeconds);
      LoadStats.Interval result = stats.endInterval();
      long elapsed = System.nanoTime() - start;
      double cpuAfter = serverPid == null ? 0 : ProcessUsage.cpuSeconds(serverPid);
      CompletableFuture.allOf(
              publishers.stream().map(PublisherHandler::stop).toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
      long serverCpuNanos = serverPid == null ? -1 : Math.round((cpuAfter - cpuBefore) * 1e9);
      print(result, elapsed, serverCpuNanos, stats.disconnects());
      return stats.disconnects() == 0 && result.errors() == 0 ? 0 : 1;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private List<PublisherHandler> connect(EventLoopGroup group, ByteBuf payload, LoadStats stats)
      throws Exception {
    List<PublisherHandler> publishers = new ArrayList<>(clients);
    List<CompletableFuture<Void>> connects = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      PublisherHandler handler =
          new PublisherHandler(
              connection.connect(i),
              topic.contains("%d") ? String.format(topic, i) : topic,
              MqttQoS.valueOf(qos),
              payload,
              window,
              rate / clients,
              stats);
      new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(
              new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                  ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, handler);
                }
              })
          .connect(connection.host, connection.port)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  handler.connected().completeExceptionally(f.cause());
                }
              });
      publishers.add(handler);
      connects.add(handler.connected());
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    return publishers;
  }

  private void print(
      LoadStats.Interval result, long elapsedNanos, long serverCpuNanos, long disconnects) {
    double seconds = elapsedNanos / 1e9;
    Histogram h = result.latencyMicros();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%s%s:%d mqtt=%s clients=%d qos=%d payload=%dB window=%d rate=%s duration=%ds%n",
            label.isEmpty() ? "" : "[" + label + "] ",
            connection.host,
            connection.port,
            connection.mqttVersion,
            clients,
            qos,
            payloadBytes,
            window,
            rate == 0 ? "max" : String.format("%.0f", rate),
            durationSeconds));
    out.append(
        String.format(
            "  throughput  %.0f msgs/s (%d acked, %d sent)%n",
            result.acked() / seconds, result.acked(), result.sent()));
    if (qos > 0 && h.getTotalCount() > 0) {
      out.append(
          String.format(
              "  latency µs  p50=%d p99=%d p999=%d max=%d%n",
              h.getValueAtPercentile(50),
              h.getValueAtPercentile(99),
              h.getValueAtPercentile(99.9),
              h.getMaxValue()));
    }
    if (serverCpuNanos >= 0) {
      out.append(
          String.format(
              "  server cpu  %.2f µs/msg (%.2f s over %.1f s = %.0f%% of one core)%n",
              result.acked() == 0 ? Double.NaN : serverCpuNanos / 1e3 / result.acked(),
              serverCpuNanos / 1e9,
              seconds,
              100.0 * serverCpuNanos / elapsedNanos));
    }
    if (result.errors() > 0 || disconnects > 0) {
      out.append(
          String.format(
              "  errors      %d failed acks, %d disconnects%n", result.errors(), disconnects));
    }
    System.out.print(out);
  }
}
