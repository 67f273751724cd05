package io.inlet.bench.drill;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Slow HTTP clients: connections that send the first byte of a request and then nothing, held open
 * while {@code /health}, {@code /ready} and {@code /metrics} are polled on fresh connections. Every
 * poll must answer within the timeout: one client must never block another.
 */
@Command(
    name = "slow-http",
    mixinStandardHelpOptions = true,
    description = "One-byte HTTP requests held open while /health, /ready, /metrics are polled.")
final class SlowHttpDrill implements Callable<Integer> {
  private static final List<String> PATHS = List.of("/health", "/ready", "/metrics");

  @Mixin DrillSetup setup;

  @Option(
      names = "--slow-clients",
      defaultValue = "20",
      description = "Connections that send one byte and wait (default: ${DEFAULT-VALUE}).")
  int slowClients;

  @Option(
      names = "--duration",
      defaultValue = "PT20S",
      description = "How long to poll (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--poll-timeout",
      defaultValue = "PT2S",
      description = "How soon each poll must answer (default: ${DEFAULT-VALUE}).")
  Duration pollTimeout;

  @Override
  public Integer call() throws IOException {
    Tally tally = new Tally("slow-http");
    try (DrillSetup run = setup;
        DrillNode node = DrillNode.start(setup, setup.dataDir("data"), "node", List.of())) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < slowClients; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5_000);
          OutputStream out = socket.getOutputStream();
          out.write("G".getBytes(StandardCharsets.US_ASCII)); // one byte of "GET / HTTP/1.1"
          out.flush();
          slow.add(socket);
        }
        long end = System.nanoTime() + duration.toNanos();
        long slowest = 0;
        for (int round = 0; System.nanoTime() < end; round++) {
          String path = PATHS.get(round % PATHS.size());
          tally.attempts.incrementAndGet();
          long start = System.nanoTime();
          int status = HttpProbe.get(node.httpPort(), path, pollTimeout);
          long took = System.nanoTime() - start;
          if (status > 0) {
            tally.acknowledged.incrementAndGet();
            slowest = Math.max(slowest, took);
          } else {
            tally.add("timeouts", 1);
            tally.add("timeouts_" + path.substring(1), 1);
          }
        }
        tally.figure("slow_clients", slowClients);
        tally.figure(
            "slow_clients_still_open", slow.stream().filter(s -> !closedByServer(s)).count());
        tally.figure("slowest_answer_ms", slowest / 1_000_000);
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
      if (!node.isAlive()) {
        tally.crashes.incrementAndGet();
      }
      long timeouts = tally.figure("timeouts");
      if (timeouts > 0) {
        tally.finding(
            timeouts
                + " of "
                + tally.attempts.get()
                + " polls of /health, /ready or"
                + " /metrics got no answer within "
                + pollTimeout.toMillis()
                + " ms while "
                + slowClients
                + " clients each held a one-byte request open");
      }
      return tally.report(System.out, setup.summaryFile);
    }
  }

  /** Whether the server closed this idle connection (a read returns end of stream at once). */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
