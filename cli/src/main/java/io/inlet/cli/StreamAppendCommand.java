package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inlet stream append}: appends records to the shard that owns their key, as HStreamDB
 * clients route them, and prints the record ids once the server has made them durable.
 */
@Command(
    name = "append",
    mixinStandardHelpOptions = true,
    description = {
      "Append records to a stream and print their record ids.",
      "Without PAYLOAD arguments, every non-empty line of stdin is one record.",
    })
final class StreamAppendCommand implements Callable<Integer> {
  /** Records per batch when reading stdin, and the most bytes of payload per batch. */
  private static final int STDIN_BATCH_RECORDS = 1000;

  private static final int STDIN_BATCH_BYTES = 1 << 20;

  /** Batch compression, as the wire names it. */
  enum Compression {
    none(CompressionType.None),
    gzip(CompressionType.Gzip),
    zstd(CompressionType.Zstd);

    final CompressionType wire;

    Compression(CompressionType wire) {
      this.wire = wire;
    }
  }

  @Mixin private ClientOptions client;

  @Parameters(index = "0", paramLabel = "NAME", description = "The stream's name.")
  private String stream;

  @Parameters(
      index = "1..*",
      paramLabel = "PAYLOAD",
      description = "Record payloads; each one is a record.")
  private List<String> payloads = new ArrayList<>();

  @Option(
      names = {"-k", "--key"},
      paramLabel = "KEY",
      description =
          "Partition key of every record; it picks the shard. Without it records carry an empty"
              + " key and go where the empty key hashes, as HStreamDB clients send them.")
  private String key;

  @Option(
      names = "--json-record",
      description = "Payloads are JSON objects; send them as JSON records (a protobuf Struct).")
  private boolean jsonRecord;

  @Option(
      names = "--compression",
      paramLabel = "none|gzip|zstd",
      defaultValue = "none",
      description = "Batch compression: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Compression compression;

  @Option(
      names = "--attr",
      paramLabel = "NAME=VALUE",
      description = "A record attribute; repeat for more.")
  private Map<String, String> attributes = new LinkedHashMap<>();

  @Override
  public Integer call() {
    List<HStreamRecord> fromArguments = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      fromArguments.add(record(payloads.get(i), "PAYLOAD " + (i + 1)));
    }
    Output out = client.output();
    ArrayNode ids = Output.array();
    Shard shard;
    try (InletClient inlet = client.connect()) {
      shard =
          new ShardRouter(
                  stream,
                  inlet
                      .unary()
                      .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
                      .getShardsList())
              .shardFor(key);
      if (!fromArguments.isEmpty()) {
        append(inlet, shard, fromArguments, out, ids);
      } else {
        appendStdin(inlet, shard, out, ids);
      }
    }
    if (out.json()) {
      ObjectNode document = Output.object();
      document.put("stream", stream);
      document.set("shardId", Output.unsigned(shard.getShardId()));
      document.set("recordIds", ids);
      out.document(document);
    }
    return 0;
  }

  private void appendStdin(InletClient inlet, Shard shard, Output out, ArrayNode ids) {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(client.stdin(), StandardCharsets.UTF_8));
    List<HStreamRecord> batch = new ArrayList<>();
    int bytes = 0;
    int lineNumber = 0;
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        HStreamRecord record = record(line, "stdin line " + lineNumber);
        batch.add(record);
        bytes += record.getPayload().size();
        if (batch.size() >= STDIN_BATCH_RECORDS || bytes >= STDIN_BATCH_BYTES) {
          append(inlet, shard, batch, out, ids);
          batch = new ArrayList<>();
          bytes = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!batch.isEmpty()) {
      append(inlet, shard, batch, out, ids);
    }
  }

  private void append(
      InletClient inlet, Shard shard, List<HStreamRecord> records, Output out, ArrayNode ids) {
    AppendResponse response =
        inlet
            .unary()
            .append(
                AppendRequest.newBuilder()
                    .setStreamName(stream)
                    .setShardId(shard.getShardId())
                    .setRecords(RecordBatches.encode(records, compression.wire))
                    .build());
    for (RecordId id : response.getRecordIdsList()) {
      if (out.json()) {
        ids.add(RecordIds.format(id));
      } else {
        out.line(RecordIds.format(id));
      }
    }
  }

  private HStreamRecord record(String payload, String where) {
    if (!jsonRecord) {
      return HStreamRecords.raw(key, payload.getBytes(StandardCharsets.UTF_8), attributes);
    }
    try {
      return HStreamRecords.json(key, HStreamRecords.structFromJson(payload), attributes);
    } catch (IllegalArgumentException e) {
      throw new CliException(where + " is not a JSON object: " + e.getMessage());
    }
  }
}
