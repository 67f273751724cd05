package io.inlet.server.testing;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Records that carry an id at the start of a payload of a chosen size ({@code id|....}), and the
 * ids of a shard's records read back, for tests that compare what was acknowledged with what is
 * there.
 */
public final class IdRecords {
  private IdRecords() {}

  /** A raw record of {@code bytes} bytes (at least the id's) whose payload starts with the id. */
  public static HStreamRecord record(String id, int bytes) {
    byte[] head = (id + "|").getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[Math.max(bytes, head.length)];
    Arrays.fill(payload, (byte) '.');
    System.arraycopy(head, 0, payload, 0, head.length);
    return HStreamRecords.raw("k", payload, Map.of());
  }

  /** The ids of the shard's records as {@code client}'s node serves them, in order. */
  public static List<String> ids(GrpcClient client, long shard) {
    return StreamContents.received(client, shard).stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .map(payload -> payload.substring(0, payload.indexOf('|')))
        .toList();
  }
}
