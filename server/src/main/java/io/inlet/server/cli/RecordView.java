package io.inlet.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.api.record.RecordBatches.MalformedBatchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** One record as read or consumed, with its id and its batch's publish time. */
record RecordView(RecordId id, HStreamRecord record, Timestamp publishTime) {

  /**
   * The records a ReceivedRecord delivers. As HStreamDB clients read it: when it carries as many
   * ids as records (a whole batch, or the slice a read started inside), the i-th id names the i-th
   * record; when it carries fewer ids than its batch holds, each id picks its record by batch
   * index.
   *
   * @throws CliException when the batch does not decode or an id has no record
   */
  static List<RecordView> of(ReceivedRecord received) {
    List<HStreamRecord> records;
    try {
      records = RecordBatches.decode(received.getRecord());
    } catch (MalformedBatchException e) {
      throw new CliException("received a batch that does not decode: " + e.getMessage(), e);
    }
    List<RecordId> ids = received.getRecordIdsList();
    boolean positional = ids.size() == records.size();
    List<RecordView> views = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      RecordId id = ids.get(i);
      int index = positional ? i : id.getBatchIndex();
      if (index < 0 || index >= records.size()) {
        throw new CliException(
            "record " + RecordIds.format(id) + " is not in its batch of " + records.size());
      }
      views.add(new RecordView(id, records.get(index), received.getRecord().getPublishTime()));
    }
    return views;
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
