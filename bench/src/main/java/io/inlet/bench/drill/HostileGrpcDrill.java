package io.inlet.bench.drill;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.RecordId;
import io.inlet.bench.client.StreamAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hostile gRPC requests, one shard each: lying batch counts, corrupt compression, payloads that are
 * not batches, JSON that is not a Struct, decompression bombs, huge messages and names. After each,
 * the node must answer {@code /health} in time, the shard must read, no record id may have been
 * consumed, and an honest Append must work. Then the node is restarted and every shard read again.
 */
@Command(
    name = "hostile-grpc",
    mixinStandardHelpOptions = true,
    description = "Hostile Append requests; the node must refuse them and stay healthy.")
final class HostileGrpcDrill implements Callable<Integer> {
  private static final String STREAM = "hostile";
  private static final int MESSAGE_LIMIT = 2_000;

  @Mixin DrillSetup setup;

  @Option(
      names = "--health-timeout",
      defaultValue = "PT5S",
      description = "How soon /health must answer after each case (default: ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  private final Tally tally = new Tally("hostile-grpc");
  private final Ledger ledger = new Ledger();
  private DrillNode node;
  private int starts;

  @Override
  public Integer call() {
    try (DrillSetup run = setup) {
      Path data = setup.dataDir("data");
      List<HostileAppends.Case> cases = HostileAppends.all();
      node = DrillNode.start(setup, data, "start-" + starts++, List.of());
      List<Long> shards = new StreamAdmin(node.channel()).createStream(STREAM, cases.size());
      for (int i = 0; i < cases.size(); i++) {
        runCase(cases.get(i), shards.get(i), data);
      }
      hugeStreamName();
      restartAndReadAll(data, shards);
      node.close();
      tally.figure("node_restarts", starts - 1);
      tally.figure("ids_reused", ledger.idsReused());
      if (ledger.idsReused() > 0) {
        tally.finding(ledger.idsReused() + " record ids were handed out twice");
      }
      return tally.report(System.out, setup.summaryFile);
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  private void runCase(HostileAppends.Case hostile, long shard, Path data) {
    tally.attempts.incrementAndGet();
    tally.add("hostile_requests", 1);
    long tailBefore = tail(shard);
    String outcome;
    try {
      AppendResponse response =
          HStreamApiGrpc.newBlockingStub(node.channel())
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .append(hostile.request().build(STREAM, shard));
      outcome = "OK with " + response.getRecordIdsCount() + " ids";
      tally.add("hostile_acknowledged", 1);
      tally.finding(
          hostile.name()
              + ": acknowledged with "
              + response.getRecordIdsCount()
              + " record ids; expected "
              + hostile.expected());
    } catch (StatusRuntimeException e) {
      outcome = judgeRefusal(hostile.name(), e);
    }
    String read = readCheck(shard);
    boolean healthy = HttpProbe.healthy(node.httpPort(), healthTimeout); // after the read too
    long tailAfter = tail(shard);
    String ids = "";
    if (!outcome.startsWith("OK") && tailAfter != tailBefore) {
      ids = "LSN consumed";
      tally.finding(
          hostile.name()
              + ": refused, yet the shard's tail moved from "
              + tailBefore
              + " to "
              + tailAfter
              + " (a record id was consumed)");
    }
    String honest = healthy ? honestAppend(shard) : "skipped";
    if (!healthy || !node.isAlive()) {
      tally.crashes.incrementAndGet();
      tally.finding(
          hostile.name()
              + ": afterwards /health did not answer 200 within "
              + healthTimeout.toSeconds()
              + " s"
              + (node.isAlive() ? "" : " (the node exited)"));
      restart(data);
    }
    tally
        .cases("case", "expected", "answer", "/health", "shard read", "ids", "honest append")
        .row(
            hostile.name(),
            hostile.expected(),
            outcome,
            healthy ? "ok" : "TIMEOUT",
            read,
            ids.isEmpty() ? "ok" : ids,
            honest);
    System.err.printf("%s: %s%n", hostile.name(), outcome);
  }

  private String judgeRefusal(String name, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String message = String.valueOf(e.getStatus().getDescription());
    if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN) {
      tally.finding(
          name + ": answered " + code + " (a server fault, not a refusal): " + abbreviate(message));
    } else if (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE) {
      tally.finding(name + ": no answer (" + code + "): " + abbreviate(message));
    }
    if (message.length() > MESSAGE_LIMIT) {
      tally.finding(name + ": the error message is " + message.length() + " characters long");
    }
    return code + (message.length() > MESSAGE_LIMIT ? " (" + message.length() + " chars)" : "");
  }

  /** Reads the whole shard; a failure or timeout is a finding. */
  private String readCheck(long shard) {
    try {
      List<Ledger.Stored> records = Ledger.readShard(node.channel(), shard, 20);
      return records.size() + " records";
    } catch (RuntimeException e) {
      tally.finding(
          "shard " + shard + " cannot be read: " + abbreviate(String.valueOf(e.getMessage())));
      return e instanceof StatusRuntimeException s ? s.getStatus().getCode().toString() : "FAILED";
    }
  }

  private String honestAppend(long shard) {
    byte[] payload = ("honest-" + shard + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    tally.attempts.incrementAndGet();
    try {
      RecordId id = ledger.appendOne(node.channel(), STREAM, shard, ByteString.copyFrom(payload));
      tally.acknowledged.incrementAndGet();
      return "ok " + Ledger.text(id);
    } catch (RuntimeException e) {
      tally.finding(
          "an honest Append to shard "
              + shard
              + " failed: "
              + abbreviate(String.valueOf(e.getMessage())));
      return "FAILED";
    }
  }

  private void hugeStreamName() {
    tally.attempts.incrementAndGet();
    tally.add("hostile_requests", 1);
    String outcome;
    try {
      new StreamAdmin(node.channel()).createStream("s".repeat(10_000), 1);
      outcome = "OK";
      tally.add("hostile_acknowledged", 1);
      tally.finding("CreateStream with a 10,000-character name was accepted");
    } catch (StatusRuntimeException e) {
      outcome = judgeRefusal("CreateStream with a 10,000-character name", e);
    }
    boolean healthy = HttpProbe.healthy(node.httpPort(), healthTimeout);
    if (!healthy) {
      tally.crashes.incrementAndGet();
      tally.finding("CreateStream with a 10,000-character name: /health did not answer");
    }
    tally
        .cases("case", "expected", "answer", "/health", "shard read", "ids", "honest append")
        .row(
            "CreateStream name of 10,000 characters",
            "INVALID_ARGUMENT, short message",
            outcome,
            healthy ? "ok" : "TIMEOUT",
            "-",
            "-",
            "-");
  }

  /** Stops the node, starts it again, and reads every shard: bad entries must not come back. */
  private void restartAndReadAll(Path data, List<Long> shards) {
    node.stop();
    try {
      node = DrillNode.start(setup, data, "start-" + starts++, List.of());
    } catch (RuntimeException e) {
      tally.crashes.incrementAndGet();
      tally.finding("the node did not start again after the hostile requests: " + e.getMessage());
      return;
    }
    int unreadable = 0;
    for (long shard : shards) {
      try {
        Ledger.readShard(node.channel(), shard, 20);
      } catch (RuntimeException e) {
        unreadable++;
      }
    }
    boolean healthy = HttpProbe.healthy(node.httpPort(), healthTimeout);
    tally.figure("shards_unreadable_after_restart", unreadable);
    if (unreadable > 0 || !healthy) {
      tally.finding(
          "after a restart "
              + unreadable
              + " shard(s) cannot be read"
              + (healthy ? "" : " and /health does not answer"));
      if (!healthy) {
        tally.crashes.incrementAndGet();
      }
      restart(data);
    }
    long lost = lostHonest(shards);
    tally.lost.addAndGet(lost);
    tally.figure("honest_stored", ledger.appendedCount() - lost);
  }

  private long lostHonest(List<Long> shards) {
    Map<RecordId, ByteString> stored = new HashMap<>();
    for (long shard : shards) {
      try {
        for (Ledger.Stored record : Ledger.readShard(node.channel(), shard, 20)) {
          stored.put(record.id(), record.payload());
        }
      } catch (RuntimeException e) {
        // counted above as unreadable; its honest records count as lost below
      }
    }
    return ledger.missingFrom(stored);
  }

  private void restart(Path data) {
    node.close();
    try {
      node = DrillNode.start(setup, data, "start-" + starts++, List.of());
    } catch (RuntimeException e) {
      tally.finding("the node did not start again: " + e.getMessage());
      throw e;
    }
  }

  private long tail(long shard) {
    try {
      return HStreamApiGrpc.newBlockingStub(node.channel())
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getTailRecordId(
              GetTailRecordIdRequest.newBuilder().setStreamName(STREAM).setShardId(shard).build())
          .getTailRecordId()
          .getBatchId();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static String abbreviate(String text) {
    String line = text.replace('\n', ' ');
    return line.length() <= 200
        ? line
        : line.substring(0, 200) + "... (" + line.length() + " chars)";
  }
}
