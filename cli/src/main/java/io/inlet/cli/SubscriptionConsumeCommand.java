package io.inlet.cli;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlet sub consume}: joins a subscription as one consumer (StreamingFetch), prints what it
 * receives and acknowledges each record once it is printed. Records received but not printed
 * (beyond {@code --max}) are not acknowledged, so the server redelivers them after the ack timeout.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Consume a subscription: print records and acknowledge them once printed.",
      "Runs until --max records, --idle-timeout without records, or Ctrl-C. With --json and"
          + " neither --max nor --idle-timeout, prints one JSON object per record (JSON Lines).",
    })
final class SubscriptionConsumeCommand implements java.util.concurrent.Callable<Integer> {
  private static final Object COMPLETED = new Object();
  private static final long CLOSE_GRACE_SECONDS = 5;

  @Spec private CommandSpec spec;
  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The subscription's id.")
  private String subscription;

  @Option(
      names = "--consumer",
      paramLabel = "NAME",
      description = "Consumer name, unique within the subscription (default: inlet-cli-<random>).")
  private String consumer;

  @Option(
      names = {"-n", "--max"},
      paramLabel = "N",
      description = "Stop after N records.")
  private Long max;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Stop after this many seconds without a record; 0 waits forever (default).")
  private long idleTimeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (max != null && max < 1) {
      throw new ParameterException(spec.commandLine(), "--max must be at least 1, found: " + max);
    }
    if (idleTimeoutSeconds < 0) {
      throw new ParameterException(
          spec.commandLine(), "--idle-timeout must be >= 0, found: " + idleTimeoutSeconds);
    }
    String consumerName =
        consumer != null ? consumer : "inlet-cli-" + UUID.randomUUID().toString().substring(0, 8);
    boolean bounded = max != null || idleTimeoutSeconds > 0;
    RecordPrinter printer =
        new RecordPrinter(
            client.output(), spec.commandLine().getErr(), "subscription", subscription, !bounded);
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    try (InletClient inlet = client.connect()) {
      StreamObserver<StreamingFetchRequest> requests =
          inlet
              .async()
              .streamingFetch(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingFetchResponse response) {
                      events.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                      events.add(t);
                    }

                    @Override
                    public void onCompleted() {
                      events.add(COMPLETED);
                    }
                  });
      StreamingFetchRequest join =
          StreamingFetchRequest.newBuilder()
              .setSubscriptionId(subscription)
              .setConsumerName(consumerName)
              .build();
      requests.onNext(join);
      boolean serverEnded = consume(events, requests, join, printer);
      if (!serverEnded) {
        requests.onCompleted();
        awaitEnd(events);
      }
    }
    printer.finish();
    return 0;
  }

  /** Prints and acks until done; returns whether the server ended the call. */
  private boolean consume(
      BlockingQueue<Object> events,
      StreamObserver<StreamingFetchRequest> requests,
      StreamingFetchRequest join,
      RecordPrinter printer)
      throws InterruptedException {
    while (max == null || printer.count() < max) {
      Object event =
          idleTimeoutSeconds > 0
              ? events.poll(idleTimeoutSeconds, TimeUnit.SECONDS)
              : events.take();
      if (event == null) {
        return false; // idle
      }
      if (event == COMPLETED) {
        return true;
      }
      if (event instanceof Throwable failure) {
        throw Status.fromThrowable(failure).asRuntimeException();
      }
      List<RecordId> acks = new ArrayList<>();
      // A record that cannot be read is reported and acknowledged like the others: delivering it
      // again would not make it readable.
      for (ReadEntry record :
          RecordView.of(((StreamingFetchResponse) event).getReceivedRecords())) {
        if (max != null && printer.count() >= max) {
          break;
        }
        printer.print(record);
        acks.add(record.id());
      }
      if (!acks.isEmpty()) {
        requests.onNext(join.toBuilder().addAllAckIds(acks).build());
      }
    }
    return false;
  }

  /** Waits briefly for the server to end the call, so the last acks are taken in. */
  private static void awaitEnd(BlockingQueue<Object> events) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_GRACE_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      Object event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (event == null || event == COMPLETED || event instanceof Throwable) {
        return;
      }
    }
  }
}
