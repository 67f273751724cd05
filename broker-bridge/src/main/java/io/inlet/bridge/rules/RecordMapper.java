package io.inlet.bridge.rules;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.HStreamRecordHeader.Flag;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.record.RecordAttributes;
import io.inlet.api.record.SingleRecordBatch;
import io.inlet.api.topic.TopicLevels;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a message and the rule it matched into the record to append, or the reason it can't. */
public final class RecordMapper {
  private RecordMapper() {}

  /** What the mapping gave: a record (and its key) or a refusal. */
  public sealed interface Mapping {}

  /**
   * The record to append, as its parts: the partition key (which also picks its shard), what the
   * payload is, the header's attributes, the payload (shared with the message, not copied).
   */
  public record Mapped(String key, Flag flag, RecordAttributes attributes, ByteString payload)
      implements Mapping {
    /** The record alone in an uncompressed batch, written without protobuf builders. */
    public BatchedRecord batch() {
      return SingleRecordBatch.encode(flag, key, attributes, payload);
    }

    /** The record as protobuf's message (for readers and tests; the append path uses batch). */
    public HStreamRecord record() {
      return HStreamRecord.newBuilder()
          .setHeader(
              HStreamRecordHeader.newBuilder()
                  .setFlag(flag)
                  .setKey(key == null ? "" : key)
                  .putAllAttributes(attributes.asMap()))
          .setPayload(payload)
          .build();
    }
  }

  /** Nothing to store: why. */
  public record Refused(String reason) implements Mapping {}

  /**
   * @param topicLevels the message's topic split by {@link TopicLevels#split}
   */
  public static Mapping map(MappingRule rule, InboundMessage message, String[] topicLevels) {
    String key = rule.keyTemplate().render(message, topicLevels);
    RecordAttributes attributes = MqttAttributes.of(message);
    byte[] payload = message.payload() == null ? new byte[0] : message.payload();
    if (rule.payloadMode() == PayloadMode.JSON) {
      String problem;
      try {
        Struct struct = jsonObject(payload);
        return new Mapped(key, Flag.JSON, attributes, struct.toByteString());
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
      if (rule.nonJson() == NonJsonPolicy.REJECT) {
        return new Refused(
            "rule \"" + rule.name() + "\" stores JSON objects only and the payload " + problem);
      }
    }
    // the payload array is handed over with the message (InboundMessage): wrap it, do not copy it
    return new Mapped(key, Flag.RAW, attributes, UnsafeByteOperations.unsafeWrap(payload));
  }

  /**
   * The payload as a Struct.
   *
   * @throws IllegalArgumentException completing "the payload ..." when it is not a JSON object
   */
  static Struct jsonObject(byte[] payload) {
    int first = 0;
    while (first < payload.length && isJsonWhitespace(payload[first])) {
      first++;
    }
    if (first == payload.length) {
      throw new IllegalArgumentException("is empty");
    }
    if (payload[first] != '{') {
      throw new IllegalArgumentException("is not a JSON object");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("is not valid UTF-8");
    }
    try {
      return JsonObjects.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a valid JSON object (" + e.getMessage() + ")");
    }
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
