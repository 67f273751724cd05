package io.inlet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.api.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** One record as read or consumed, with its id and its batch's publish time. */
record RecordView(RecordId id, HStreamRecord record, Timestamp publishTime) implements ReadEntry {

  /**
   * The records a ReceivedRecord delivers, in order. As HStreamDB clients read it: when it carries
   * as many ids as records (a whole batch, or the slice a read started inside), the i-th id names
   * the i-th record; when it carries fewer ids than its batch holds, each id picks its record by
   * batch index. An id whose record cannot be shown (its batch does not decode, it has no record, a
   * JSON record that is not JSON) comes back {@link ReadEntry.Unreadable}, with the reason.
   */
  static List<ReadEntry> of(ReceivedRecord received) {
    List<RecordId> ids = received.getRecordIdsList();
    List<ReadEntry> entries = new ArrayList<>(ids.size());
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(received.getRecord());
    } catch (InvalidBatchException e) {
      for (RecordId id : ids) {
        entries.add(new ReadEntry.Unreadable(id, "its batch does not decode: " + e.getMessage()));
      }
      return entries;
    }
    boolean positional = ids.size() == records.size();
    for (int i = 0; i < ids.size(); i++) {
      RecordId id = ids.get(i);
      int index = positional ? i : id.getBatchIndex();
      if (index < 0 || index >= records.size()) {
        entries.add(
            new ReadEntry.Unreadable(
                id, "it is not in its batch, which holds " + records.size() + " records"));
        continue;
      }
      HStreamRecord record = records.get(index);
      if (!HStreamRecords.hasReadablePayload(record)) {
        entries.add(
            new ReadEntry.Unreadable(
                id,
                "it is flagged JSON but its payload is not a serialized google.protobuf.Struct"));
        continue;
      }
      entries.add(new RecordView(id, record, received.getRecord().getPublishTime()));
    }
    return entries;
  }

  String key() {
    return record.getHeader().getKey();
  }

  boolean isJson() {
    return record.getHeader().getFlag() == HStreamRecordHeader.Flag.JSON;
  }

  /** JSON records as compact JSON; RAW ones as UTF-8 text, or base64 when not valid UTF-8. */
  String payloadText() {
    if (isJson()) {
      return HStreamRecords.payloadAsText(record);
    }
    String text = utf8(record.getPayload());
    return text != null ? text : "base64:" + base64(record.getPayload());
  }

  ObjectNode toJson() {
    ObjectNode node = Output.object();
    node.put("recordId", RecordIds.format(id));
    node.put("key", key());
    node.put("type", isJson() ? "json" : "raw");
    ObjectNode attributes = node.putObject("attributes");
    record.getHeader().getAttributesMap().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> attributes.put(e.getKey(), e.getValue()));
    node.put("publishTime", Output.instant(publishTime));
    if (isJson()) {
      node.set("payload", jsonPayload());
    } else {
      String text = utf8(record.getPayload());
      if (text != null) {
        node.put("payload", text);
      } else {
        node.put("payloadBase64", base64(record.getPayload()));
      }
    }
    return node;
  }

  private JsonNode jsonPayload() {
    try {
      return Output.JSON.readTree(HStreamRecords.payloadAsText(record));
    } catch (IOException e) {
      return Output.JSON.getNodeFactory().textNode(HStreamRecords.payloadAsText(record));
    }
  }

  private static String utf8(ByteString bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String base64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
