package io.inlet.emqx;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.api.ingest.MessageIngestor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server EMQX's ExHook dials: {@code emqx.exhook.v2.HookProvider} (EMQX 5.0 to 5.8) and
 * {@code emqx.exhook.v3.HookProvider} (5.9+) on one port. It registers {@code message.publish} for
 * the configured topic filters and answers each publish only once the {@link MessageIngestor} has
 * an outcome: EMQX goes on with a message only after Inlet stored it durably (or deliberately did
 * not store it, because no rule matched or its rule rejected it). A store failure, or no outcome
 * within the answer timeout, is answered as {@link ExHookSettings#denyOnFailure()} says.
 *
 * <p>How the port accepts connections (event loops, TLS, handshake and idle limits, a connection
 * cap) is the caller's: it passes a transport that completes the gRPC server's builder, so the node
 * guards this port as it guards its gRPC API. Without one, gRPC's defaults apply.
 *
 * <p>Lifecycle: {@link #start} binds, {@link #close} stops accepting calls, lets the answers in
 * flight finish for up to the grace period, answers the rest with the failure verdict and releases
 * the threads; it is idempotent.
 */
public final class ExHookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExHookServer.class);
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  /**
   * Largest hook request accepted. EMQX's own default maximum packet is 1 MiB; anything larger than
   * the server's max-record-size is refused by the store anyway, and counted as a failure.
   */
  private static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private final ExHookSettings settings;
  private final ExHookStats stats = new ExHookStats();
  private final ScheduledThreadPoolExecutor executor;
  private final PublishAdmission admission;
  private final UnaryOperator<NettyServerBuilder> transport;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Server server;

  /** A provider on gRPC's default transport (plaintext, gRPC's default limits). */
  public ExHookServer(MessageIngestor ingestor, ExHookSettings settings) {
    this(ingestor, settings, UnaryOperator.identity());
  }

  /**
   * @param transport completes the gRPC server's builder with how the port accepts connections
   *     (event loops, TLS, limits); it must not add services
   */
  public ExHookServer(
      MessageIngestor ingestor,
      ExHookSettings settings,
      UnaryOperator<NettyServerBuilder> transport) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.transport = Objects.requireNonNull(transport, "transport");
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "inlet-exhook-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.admission =
        new PublishAdmission(
            Objects.requireNonNull(ingestor, "ingestor"), settings, executor, stats);
  }

  /**
   * Binds {@code settings.host():settings.port()} and starts serving.
   *
   * @throws IOException when the address cannot be bound; a port in use shows as a {@link
   *     java.net.BindException} in the cause chain. The server is then closed.
   * @throws IllegalStateException when called twice
   */
  public void start() throws IOException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("ExHook server already started");
    }
    Server s;
    try {
      s =
          transport
              .apply(
                  NettyServerBuilder.forAddress(
                          new InetSocketAddress(settings.host(), settings.port()))
                      .executor(executor)
                      .addService(new HookProviderV2(admission, settings.topicFilters()))
                      .addService(new HookProviderV3(admission, settings.topicFilters()))
                      .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                      .permitKeepAliveTime(10, TimeUnit.SECONDS)
                      .permitKeepAliveWithoutCalls(true))
              .build();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    try {
      s.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    server = s;
  }

  /** The bound port (the chosen one when the settings asked for 0). */
  public int port() {
    Server s = server;
    if (s == null) {
      throw new IllegalStateException("ExHook server not started");
    }
    return s.getPort();
  }

  public ExHookSettings settings() {
    return settings;
  }

  public ExHookStats stats() {
    return stats;
  }

  /** {@link #close(Duration)} with a 5 s grace period. */
  @Override
  public void close() {
    close(DEFAULT_GRACE);
  }

  /**
   * Stops accepting calls, waits up to {@code grace} for the answers in flight (their appends
   * finishing), then answers the remaining ones with the failure verdict and stops.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Server s = server;
    try {
      if (s != null) {
        s.shutdown();
        if (!s.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          int waiting = admission.pendingCount();
          if (waiting > 0) {
            log.warn(
                "ExHook: {} publish(es) still waiting for the store after {}; answering them as"
                    + " failed",
                waiting,
                grace);
          }
          admission.answerPending();
          if (!s.awaitTermination(1, TimeUnit.SECONDS)) {
            s.shutdownNow();
            s.awaitTermination(1, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admission.answerPending();
      if (s != null) {
        s.shutdownNow();
      }
    } finally {
      executor.shutdownNow();
    }
    ExHookStats.Snapshot counts = stats.snapshot();
    if (counts.received() > 0) {
      log.info(
          "ExHook stopped: {} publish(es) received, {} stored, {} matched no rule, {} rejected,"
              + " {} failed, {} timed out, {} denied",
          counts.received(),
          counts.stored(),
          counts.noMatchingRule(),
          counts.rejected(),
          counts.failed(),
          counts.timedOut(),
          counts.denied());
    }
  }
}
