package io.inlet.cli;

import io.grpc.Context;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlet stream read}: reads a stream (all shards, ReadStream) or one shard (ReadShardStream)
 * without a subscription, up to the tail as it was when the read started, or on and on with {@code
 * --follow}.
 */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = {
      "Read records from a stream without a subscription (nothing is acknowledged).",
      "Prints RECORD-ID, KEY and the payload (JSON records as JSON) per record.",
    })
final class StreamReadCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "NAME", description = "The stream's name.")
  private String stream;

  @Option(names = "--shard", paramLabel = "ID", description = "Read only this shard.")
  private String shard;

  @Option(
      names = "--from",
      paramLabel = "POSITION",
      defaultValue = "earliest",
      converter = ReadPosition.Converter.class,
      description =
          "earliest, latest, a record id SHARD-BATCH-INDEX (reads its shard) or @EPOCH_MS"
              + " (default: ${DEFAULT-VALUE}).")
  private ReadPosition from;

  @Option(
      names = {"-n", "--max"},
      paramLabel = "N",
      description = "Stop after N records.")
  private Long max;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep reading new records as they are appended (until --max or Ctrl-C).")
  private boolean follow;

  @Override
  public Integer call() {
    Long shardId = shardId();
    if (max != null && max < 1) {
      throw new ParameterException(spec.commandLine(), "--max must be at least 1, found: " + max);
    }
    RecordPrinter printer =
        new RecordPrinter(client.output(), spec.commandLine().getErr(), "stream", stream, follow);
    try (InletClient inlet = client.connect()) {
      List<Shard> shards =
          inlet
              .unary()
              .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
              .getShardsList();
      if (shardId != null && shards.stream().noneMatch(s -> s.getShardId() == shardId)) {
        throw new CliException(
            "stream "
                + stream
                + " has no shard "
                + Long.toUnsignedString(shardId)
                + "; its shards: "
                + shards.stream()
                    .map(s -> Long.toUnsignedString(s.getShardId()))
                    .collect(Collectors.joining(", ")));
      }
      if (!(from.isLatest() && !follow)) {
        read(inlet, shardId, printer);
      }
    }
    printer.finish();
    if (printer.count() == 0 && !client.output().json()) {
      spec.commandLine().getErr().println("no records");
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  private void read(InletClient inlet, Long shardId, RecordPrinter printer) {
    String readerId = "inlet-cli-" + UUID.randomUUID();
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      context.run(
          () -> {
            if (shardId != null) {
              ReadShardStreamRequest.Builder request =
                  ReadShardStreamRequest.newBuilder()
                      .setReaderId(readerId)
                      .setStreamName(stream)
                      .setShardId(shardId)
                      .setFrom(from.toShardOffset());
              if (!follow) {
                request.setUntil(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST));
              }
              drain(
                  inlet.streaming().readShardStream(request.build()),
                  r -> r.getReceivedRecordsList(),
                  printer);
            } else {
              ReadStreamRequest.Builder request =
                  ReadStreamRequest.newBuilder()
                      .setReaderId(readerId)
                      .setStreamName(stream)
                      .setFrom(from.toStreamOffset());
              if (!follow) {
                request.setUntil(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST));
              }
              drain(
                  inlet.streaming().readStream(request.build()),
                  r -> r.getReceivedRecordsList(),
                  printer);
            }
          });
    } finally {
      context.cancel(null); // ends the server's read when --max stopped us early
    }
  }

  private <T> void drain(
      Iterator<T> responses, Function<T, List<ReceivedRecord>> records, RecordPrinter printer) {
    while (responses.hasNext()) {
      for (ReceivedRecord received : records.apply(responses.next())) {
        for (ReadEntry record : RecordView.of(received)) {
          printer.print(record);
          if (max != null && printer.count() >= max) {
            return;
          }
        }
      }
    }
  }

  private Long shardId() {
    Long fromShard = from.isRecordId() ? from.recordId().getShardId() : null;
    if (shard == null) {
      return fromShard;
    }
    long id;
    try {
      id = Long.parseUnsignedLong(shard);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--shard expects a shard id (see 'inlet stream describe'), found: '" + shard + "'");
    }
    if (fromShard != null && fromShard != id) {
      throw new ParameterException(
          spec.commandLine(),
          "--from names shard " + Long.toUnsignedString(fromShard) + " but --shard is " + shard);
    }
    return id;
  }
}
