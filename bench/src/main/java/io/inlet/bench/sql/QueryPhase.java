package io.inlet.bench.sql;

import com.google.protobuf.Struct;
import io.grpc.ManagedChannel;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.ExecuteViewQueryRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.bench.client.StreamAdmin;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What every phase does with its node: the source stream, the load, statements and pulls. */
final class QueryPhase {
  static final String SOURCE = "readings";

  final ManagedChannel channel;
  final StreamAdmin admin;
  final ReadingLoad load;
  final long allowedLatenessMillis;
  private final List<ManagedChannel> channels;
  private final int shards;
  private final int devices;
  private final int batch;

  QueryPhase(
      List<ManagedChannel> channels,
      int shards,
      int devices,
      int batch,
      long allowedLatenessMillis) {
    this.channel = channels.get(0);
    this.channels = channels;
    this.shards = shards;
    this.devices = devices;
    this.batch = batch;
    this.admin = new StreamAdmin(channel);
    this.load = newSource(SOURCE);
    this.allowedLatenessMillis = allowedLatenessMillis;
  }

  /** Creates another source stream like {@link #SOURCE} and a load for it. */
  ReadingLoad newSource(String stream) {
    return new ReadingLoad(channels, stream, admin.createStream(stream, shards), devices, batch);
  }

  /** The records per Append of the loads. */
  int batch() {
    return batch;
  }

  void execute(String sql) {
    HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.MINUTES)
        .executeQuery(CommandQuery.newBuilder().setStmtText(sql).build());
  }

  List<Struct> pull(String sql) {
    return HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(2, TimeUnit.MINUTES)
        .executeViewQuery(ExecuteViewQueryRequest.newBuilder().setSql(sql).build())
        .getResultsList();
  }

  /** The shards of a stream a query creates, once it exists. */
  List<Long> shardsOf(String stream, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      try {
        List<Long> shards = admin.shardIds(stream);
        if (!shards.isEmpty()) {
          return shards;
        }
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
  }

  /** Polls every millisecond until {@code done}; fails after {@code stallSeconds}. */
  static long awaitNanos(String what, long stallSeconds, BooleanSupplier done, Runnable check)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(stallSeconds);
    while (!done.getAsBoolean()) {
      check.run();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + stallSeconds + " s for " + what);
      }
      Thread.sleep(1);
    }
    return System.nanoTime();
  }

  /**
   * Waits until the wall clock passes {@code millis}, so that records appended afterwards are not
   * behind a watermark already emitted.
   */
  static void sleepUntil(long millis) throws InterruptedException {
    long wait = millis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /** A window bound as a result row carries it (ISO text, with or without a zone), in epoch ms. */
  static long epochMillis(String text) {
    String t = text.trim().replace(' ', 'T');
    if (t.endsWith("Z")) {
      return Instant.parse(t).toEpochMilli();
    }
    if (t.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    }
    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
