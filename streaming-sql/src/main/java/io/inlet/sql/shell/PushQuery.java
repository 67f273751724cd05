package io.inlet.sql.shell;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.TerminateQueryRequest;
import io.inlet.api.record.RecordBatches;
import io.inlet.sql.parse.SqlParser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A push query ({@code SELECT ... EMIT CHANGES}) run the way HStreamDB's own CLI runs one: the
 * SELECT becomes {@code CREATE STREAM cli_generated_stream_<random> AS SELECT ...} (CreateQuery), a
 * subscription reads that stream (StreamingFetch, every record acknowledged once printed), and
 * stopping it deletes the subscription (force), terminates the query and deletes the stream.
 */
final class PushQuery {
  private static final Pattern EMIT_CHANGES =
      Pattern.compile("(?is)\\s*\\bEMIT\\s+CHANGES\\s*;?\\s*$");
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALPHANUMERIC = LETTERS + "0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object END = new Object();

  private final SqlConnection connection;
  private final String stream = "cli_generated_stream_" + random(LETTERS, 20);
  private final String queryName = "cli_generated_" + random(ALPHANUMERIC, 10);
  private final String subscription = "cli_internal_subscription_" + random(LETTERS, 20);
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private volatile boolean stopped;
  private String queryId;
  private boolean subscribed;

  private final boolean flink;

  /**
   * @param flink whether the SELECT is Flink SQL: then it goes as {@code FLINK SELECT ...} to
   *     CreateQuery, whose result stream is named after the query (named as the stream here)
   */
  PushQuery(SqlConnection connection, boolean flink) {
    this.connection = connection;
    this.flink = flink;
  }

  /** {@code SELECT ... EMIT CHANGES;} as the query that writes its results into a new stream. */
  static String createStreamAs(String stream, String select) {
    return "CREATE STREAM "
        + stream
        + " AS "
        + EMIT_CHANGES.matcher(select.strip()).replaceFirst("")
        + ";";
  }

  /** Stops {@link #run} (from another thread: Ctrl-C); it then cleans up and returns. */
  void stop() {
    stopped = true;
    events.add(END);
  }

  /**
   * Runs until {@link #stop} or the server ends the fetch, printing each result record; then cleans
   * up on the server.
   *
   * @throws StatusRuntimeException when the query cannot start (after cleaning up what started)
   */
  void run(String select, Consumer<Struct> rows, Consumer<String> warnings) {
    try {
      Query query =
          connection
              .unary()
              .createQuery(
                  CreateQueryRequest.newBuilder()
                      .setSql(
                          flink
                              ? SqlParser.FLINK_PREFIX + " " + select
                              : createStreamAs(stream, select))
                      .setQueryName(flink ? stream : queryName)
                      .build());
      queryId = query.getId().isEmpty() ? (flink ? stream : queryName) : query.getId();
      connection
          .unary()
          .createSubscription(
              Subscription.newBuilder()
                  .setSubscriptionId(subscription)
                  .setStreamName(stream)
                  .setAckTimeoutSeconds(60)
                  .setMaxUnackedRecords(10_000)
                  .setOffset(SpecialOffset.EARLIEST)
                  .build());
      subscribed = true;
      fetch(rows, warnings);
    } finally {
      cleanUp(warnings);
    }
  }

  private void fetch(Consumer<Struct> rows, Consumer<String> warnings) {
    StreamObserver<StreamingFetchRequest> requests =
        connection
            .async()
            .streamingFetch(
                new StreamObserver<>() {
                  @Override
                  public void onNext(StreamingFetchResponse response) {
                    events.add(response);
                  }

                  @Override
                  public void onError(Throwable error) {
                    events.add(error);
                  }

                  @Override
                  public void onCompleted() {
                    events.add(END);
                  }
                });
    String consumer = "cli_consumer_" + random(ALPHANUMERIC, 10);
    requests.onNext(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscription)
            .setConsumerName(consumer)
            .build());
    try {
      while (!stopped) {
        Object event = events.poll(1, TimeUnit.SECONDS);
        if (event == null) {
          continue;
        }
        if (event == END) {
          break;
        }
        if (event instanceof Throwable error) {
          if (!stopped) {
            warnings.accept("the result stream ended: " + error.getMessage());
          }
          return;
        }
        StreamingFetchResponse response = (StreamingFetchResponse) event;
        print(response, rows, warnings);
        requests.onNext(
            StreamingFetchRequest.newBuilder()
                .setSubscriptionId(subscription)
                .setConsumerName(consumer)
                .addAllAckIds(response.getReceivedRecords().getRecordIdsList())
                .build());
      }
      requests.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requests.onError(e);
    }
  }

  private static void print(
      StreamingFetchResponse response, Consumer<Struct> rows, Consumer<String> warnings) {
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(response.getReceivedRecords().getRecord());
    } catch (RuntimeException e) {
      warnings.accept("a result batch does not decode: " + e.getMessage());
      return;
    }
    for (HStreamRecord record : records) {
      if (record.getHeader().getFlag() == HStreamRecordHeader.Flag.JSON) {
        try {
          rows.accept(Struct.parseFrom(record.getPayload()));
          continue;
        } catch (InvalidProtocolBufferException e) {
          warnings.accept("a result record is not a JSON record: " + e.getMessage());
        }
      }
      rows.accept(
          Struct.newBuilder()
              .putFields(
                  "payload",
                  com.google.protobuf.Value.newBuilder()
                      .setStringValue(record.getPayload().toString(StandardCharsets.UTF_8))
                      .build())
              .build());
    }
  }

  /** As HStreamDB's CLI: delete the subscription (force), terminate the query, drop the stream. */
  private void cleanUp(Consumer<String> warnings) {
    if (subscribed) {
      attempt(
          warnings,
          "delete subscription " + subscription,
          () ->
              connection
                  .unary()
                  .deleteSubscription(
                      DeleteSubscriptionRequest.newBuilder()
                          .setSubscriptionId(subscription)
                          .setForce(true)
                          .build()));
    }
    if (queryId != null) {
      attempt(
          warnings,
          "terminate query " + queryId,
          () ->
              connection
                  .unary()
                  .terminateQuery(TerminateQueryRequest.newBuilder().setQueryId(queryId).build()));
      attempt(
          warnings,
          "delete stream " + stream,
          () ->
              connection
                  .unary()
                  .deleteStream(
                      DeleteStreamRequest.newBuilder()
                          .setStreamName(stream)
                          .setIgnoreNonExist(true)
                          .setForce(true)
                          .build()));
    }
  }

  private static void attempt(Consumer<String> warnings, String what, Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      warnings.accept("could not " + what + ": " + e.getStatus());
    }
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
