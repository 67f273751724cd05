package io.inlet.bench.drill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hostile MQTT over real sockets against the node's listener, while two well-behaved clients (QoS 1
 * and QoS 2, MQTT 5) publish throughout: the decoder fuzzed with random and mutated frames,
 * slowloris CONNECTs, a CONNECT flood, QoS 2 floods that never send PUBREL, deep and long topics.
 * After each phase the node must answer {@code /health} and the well-behaved clients must have been
 * served; at the end everything they had acknowledged must be stored.
 */
@Command(
    name = "hostile-mqtt",
    mixinStandardHelpOptions = true,
    description =
        "MQTT decoder fuzzing, slowloris, CONNECT and QoS 2 floods, deep and long topics, over"
            + " real sockets; well-behaved clients must keep being served.")
final class HostileMqttDrill implements Callable<Integer> {

  @Mixin DrillSetup setup;

  @Option(
      names = "--fuzz-frames",
      defaultValue = "1000000",
      description = "Fuzzed frames to send (default: ${DEFAULT-VALUE}).")
  long fuzzFrames;

  @Option(
      names = "--fuzz-seconds",
      defaultValue = "180",
      description = "Upper bound on the fuzzing time (default: ${DEFAULT-VALUE}).")
  int fuzzSeconds;

  @Option(
      names = "--frames-per-connection",
      defaultValue = "64",
      description = "Frames written per fuzz connection (default: ${DEFAULT-VALUE}).")
  int framesPerConnection;

  @Option(
      names = "--slowloris",
      defaultValue = "200",
      description = "Slow CONNECTs held open (default: ${DEFAULT-VALUE}).")
  int slowloris;

  @Option(
      names = "--slowloris-seconds",
      defaultValue = "20",
      description = "How long they dribble (default: ${DEFAULT-VALUE}).")
  int slowlorisSeconds;

  @Option(
      names = "--connect-flood",
      defaultValue = "3000",
      description = "CONNECTs in the flood (default: ${DEFAULT-VALUE}).")
  int connectFlood;

  @Option(
      names = "--qos2-clients",
      defaultValue = "100",
      description = "Clients flooding QoS 2 without PUBREL (default: ${DEFAULT-VALUE}).")
  int qos2Clients;

  @Option(
      names = "--qos2-per-client",
      defaultValue = "32",
      description =
          "QoS 2 publishes each (within the receive maximum) (default: ${DEFAULT-VALUE}).")
  int qos2PerClient;

  @Option(
      names = "--threads",
      defaultValue = "8",
      description = "Client threads (default: ${DEFAULT-VALUE}).")
  int threads;

  private final Tally tally = new Tally("hostile-mqtt");
  private final Ledger ledger = new Ledger();
  private DrillNode node;

  @Override
  public Integer call() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (DrillSetup run = setup) {
      node = DrillNode.start(setup, setup.dataDir("data"), "node", List.of());
      MqttLoad canary =
          new MqttLoad("127.0.0.1", node.mqttPort(), ledger, new Tally("canary"), "canary");
      canary.start(2);
      phase("decoder fuzz (random and mutated frames)", () -> fuzz(pool));
      phase("slowloris CONNECTs", this::slowloris);
      phase("CONNECT flood", () -> connectFlood(pool));
      phase("QoS 2 flood without PUBREL", () -> qos2Flood(pool));
      phase("deep and long topics", this::deepAndLongTopics);
      canary.stop();
      tally.acknowledged.set(ledger.publishedCount());
      if (node.isAlive()) {
        Ledger.Check check = ledger.verify(node.channel(), null, Kill9Drill.MQTT_STREAM);
        tally.lost.set(check.lostPublished());
        tally.figure("qos2_duplicates", check.qos2Duplicates());
        check.samples().forEach(s -> tally.finding("well-behaved clients: " + s));
      }
      return tally.report(System.out, setup.summaryFile);
    } finally {
      pool.shutdownNow();
      if (node != null) {
        node.close();
      }
    }
  }

  /** Runs one phase; afterwards the node must be up and the well-behaved clients served. */
  private void phase(String name, Callable<String> work) throws Exception {
    long ackedBefore = ledger.publishedCount();
    long rssBefore = rssKib();
    long start = System.nanoTime();
    String outcome;
    try {
      outcome = work.call();
    } catch (IOException e) {
      outcome = "client error: " + e.getMessage();
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    long servedDuring = ledger.publishedCount() - ackedBefore;
    // the well-behaved clients must make progress after the phase too
    long ackedAfterPhase = ledger.publishedCount();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (ledger.publishedCount() <= ackedAfterPhase + 2 && System.nanoTime() < deadline) {
      node.awaitExit(Duration.ofMillis(100));
    }
    if (ledger.publishedCount() <= ackedAfterPhase + 2) {
      tally.finding(
          name + ": the well-behaved clients got no acknowledgements in the 15 s after it");
    }
    boolean healthy = node.isAlive() && HttpProbe.healthy(node.httpPort(), Duration.ofSeconds(5));
    if (!healthy) {
      tally.crashes.incrementAndGet();
      tally.finding(
          name
              + ": afterwards the node "
              + (node.isAlive() ? "did not answer /health" : "had exited"));
    }
    long rssAfter = rssKib();
    tally
        .cases(
            "phase",
            "seconds",
            "what happened",
            "well-behaved acks during",
            "/health",
            "node RSS MiB")
        .row(
            name,
            seconds,
            outcome,
            servedDuring,
            healthy ? "ok" : "FAILED",
            (rssBefore >> 10) + " -> " + (rssAfter >> 10));
    System.err.printf("%s: %s (%d s)%n", name, outcome, seconds);
  }

  private String fuzz(ExecutorService pool) throws Exception {
    AtomicLong frames = new AtomicLong();
    AtomicLong connections = new AtomicLong();
    AtomicLong refusedConnections = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(fuzzSeconds);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(1000 + t);
      workers.add(
          pool.submit(
              () -> {
                while (frames.get() < fuzzFrames && System.nanoTime() < deadline) {
                  byte[] bytes = fuzzConnection(random, connections.get());
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", node.mqttPort()), 5_000);
                    socket.setSoLinger(true, 0);
                    socket.getOutputStream().write(bytes);
                  } catch (IOException e) {
                    refusedConnections.incrementAndGet();
                  }
                  connections.incrementAndGet();
                  frames.addAndGet(framesPerConnection + 1L);
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    tally.attempts.addAndGet(frames.get());
    tally.figure("fuzz_frames", frames.get());
    tally.figure("fuzz_connections", connections.get());
    if (frames.get() < fuzzFrames) {
      tally.finding(
          "decoder fuzz: only "
              + frames.get()
              + " of "
              + fuzzFrames
              + " frames sent within "
              + fuzzSeconds
              + " s");
    }
    return frames.get()
        + " frames over "
        + connections.get()
        + " connections ("
        + refusedConnections.get()
        + " connect/write errors)";
  }

  /** A CONNECT (mutated now and then) followed by frames, a third of them mutated or garbage. */
  private byte[] fuzzConnection(SplittableRandom random, long index) {
    int version = random.nextBoolean() ? MqttFrames.V5 : MqttFrames.V311;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] connect = MqttFrames.connect("fuzz-" + index, version, true, 0);
    out.writeBytes(random.nextInt(10) == 0 ? MqttFrames.mutate(connect, random) : connect);
    for (int i = 0; i < framesPerConnection; i++) {
      byte[] frame =
          switch (random.nextInt(6)) {
            case 0, 1, 2 ->
                MqttFrames.publish(
                    "fuzz/" + random.nextInt(100),
                    random.nextInt(3),
                    1 + random.nextInt(65535),
                    new byte[random.nextInt(64)],
                    version);
            case 3 -> MqttFrames.pubrel(1 + random.nextInt(65535));
            case 4 -> MqttFrames.subscribe(1 + random.nextInt(65535), "fuzz/#", version);
            default -> MqttFrames.pingreq();
          };
      int roll = random.nextInt(100);
      out.writeBytes(
          roll < 30
              ? MqttFrames.mutate(frame, random)
              : roll < 33 ? MqttFrames.garbage(random) : frame);
    }
    return out.toByteArray();
  }

  private String slowloris() throws IOException {
    byte[] connect = MqttFrames.connect("slowloris", MqttFrames.V311, true, 0);
    List<Socket> sockets = new ArrayList<>();
    int[] sent = new int[slowloris];
    int closedByServer = 0;
    try {
      for (int i = 0; i < slowloris; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", node.mqttPort()), 5_000);
        sockets.add(socket);
      }
      tally.attempts.addAndGet(slowloris);
      for (int second = 0; second < slowlorisSeconds; second++) {
        for (int i = 0; i < sockets.size(); i++) {
          if (sent[i] >= 0 && sent[i] < connect.length - 1) {
            try {
              sockets.get(i).getOutputStream().write(connect[sent[i]]);
              sent[i]++;
            } catch (IOException e) {
              sent[i] = -1; // closed by the server
            }
          }
        }
        node.awaitExit(Duration.ofSeconds(1));
      }
      for (int i = 0; i < sockets.size(); i++) {
        if (sent[i] < 0 || closed(sockets.get(i))) {
          closedByServer++;
        }
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    int open = slowloris - closedByServer;
    tally.figure("slowloris_still_open", open);
    if (open > 0) {
      tally.finding(
          "slowloris: "
              + open
              + " of "
              + slowloris
              + " connections that never finished"
              + " their CONNECT were still open after "
              + slowlorisSeconds
              + " s");
    }
    return closedByServer
        + " of "
        + slowloris
        + " closed by the server within "
        + slowlorisSeconds
        + " s";
  }

  private String connectFlood(ExecutorService pool) throws Exception {
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    spread(
        pool,
        connectFlood,
        i -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", node.mqttPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket
                .getOutputStream()
                .write(MqttFrames.connect("flood-" + i, MqttFrames.V311, true, 0));
            if (socket.getInputStream().read() == 0x20) {
              accepted.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (IOException e) {
            failed.incrementAndGet();
          }
        });
    tally.attempts.addAndGet(connectFlood);
    tally.figure("connect_flood_accepted", accepted.get());
    return accepted.get() + " CONNACKs, " + failed.get() + " failed";
  }

  private String qos2Flood(ExecutorService pool) throws Exception {
    AtomicLong pubrecs = new AtomicLong();
    AtomicLong disconnected = new AtomicLong();
    spread(
        pool,
        qos2Clients,
        c -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", node.mqttPort()), 5_000);
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            // a persistent session (expiry one hour): the unreleased messages outlive the socket
            out.write(MqttFrames.connect("qos2-flood-" + c, MqttFrames.V5, false, 3600));
            for (int id = 1; id <= qos2PerClient; id++) {
              out.write(MqttFrames.publish("flood/" + c, 2, id, new byte[1024], MqttFrames.V5));
            }
            out.flush();
            pubrecs.addAndGet(countPacketType(socket.getInputStream(), 0x50));
          } catch (IOException e) {
            disconnected.incrementAndGet();
          }
        });
    tally.attempts.addAndGet((long) qos2Clients * qos2PerClient);
    tally.figure("qos2_flood_pubrecs", pubrecs.get());
    return qos2Clients
        + " clients x "
        + qos2PerClient
        + " QoS 2 publishes, never released: "
        + pubrecs.get()
        + " PUBRECs, "
        + disconnected.get()
        + " connections cut";
  }

  /** Runs {@code task(0..count-1)} spread over the pool's threads and waits for all. */
  private void spread(ExecutorService pool, int count, java.util.function.IntConsumer task)
      throws Exception {
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          pool.submit(
              () -> {
                for (int i = thread; i < count; i += threads) {
                  task.accept(i);
                }
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  /** Counts packets of the given type until the stream ends or goes quiet. */
  private static long countPacketType(InputStream in, int type) throws IOException {
    long count = 0;
    try {
      while (true) {
        int first = in.read();
        if (first < 0) {
          return count;
        }
        int length = 0;
        int shift = 0;
        int digit;
        do {
          digit = in.read();
          if (digit < 0) {
            return count;
          }
          length |= (digit & 0x7F) << shift;
          shift += 7;
        } while ((digit & 0x80) != 0 && shift < 28);
        in.skipNBytes(length);
        if ((first & 0xF0) == type) {
          count++;
        }
      }
    } catch (SocketTimeoutException | java.io.EOFException e) {
      return count;
    }
  }

  private String deepAndLongTopics() throws IOException {
    List<String> results = new ArrayList<>();
    byte[][] topics = {
      "a/".repeat(5_000).concat("end").getBytes(StandardCharsets.UTF_8),
      "x".repeat(65_535).getBytes(StandardCharsets.UTF_8),
      "/".repeat(30_000).getBytes(StandardCharsets.UTF_8),
    };
    String[] names = {"5,000 levels", "65,535-byte topic", "30,000 empty levels"};
    for (int i = 0; i < topics.length; i++) {
      tally.attempts.incrementAndGet();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", node.mqttPort()), 5_000);
        socket.setSoTimeout(3_000);
        OutputStream out = socket.getOutputStream();
        out.write(MqttFrames.connect("deep-" + i, MqttFrames.V5, true, 0));
        out.write(
            MqttFrames.publish(
                topics[i], 1, 1, "deep".getBytes(StandardCharsets.UTF_8), MqttFrames.V5));
        out.write(
            MqttFrames.subscribe(2, new String(topics[i], StandardCharsets.UTF_8), MqttFrames.V5));
        long acks = countPacketType(socket.getInputStream(), 0x40);
        results.add(names[i] + ": " + (acks > 0 ? "PUBACK" : "no PUBACK"));
      } catch (IOException e) {
        results.add(names[i] + ": " + e.getMessage());
      }
    }
    return String.join("; ", results);
  }

  private static boolean closed(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private long rssKib() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone
    }
    return 0;
  }
}
