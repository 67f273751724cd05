package io.inlet.emqx;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.topic.TopicNames;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the v2 and v3 providers share: turning EMQX's message into an {@link InboundMessage}, the
 * header names EMQX reads and writes, and sending an answer.
 */
final class ExHookMessages {
  private static final Logger log = LoggerFactory.getLogger(ExHookMessages.class);

  /** The hook point Inlet registers. */
  static final String MESSAGE_PUBLISH = "message.publish";

  /** Header EMQX reads from a {@code message.publish} answer: "false" drops the message. */
  static final String ALLOW_PUBLISH = "allow_publish";

  /** The source every ExHook message is tagged with. */
  static final String SOURCE = "exhook";

  private static final String USERNAME = "username";

  /**
   * EMQX (5.0 to 5.9) does not send the retain flag; a "retain" header is honoured should a future
   * EMQX send one, and the flag is false otherwise.
   */
  private static final String RETAIN = "retain";

  private static final String CONTENT_TYPE = "Content-Type";

  private ExHookMessages() {}

  /**
   * The message as EMQX sent it, unchecked: the QoS is passed on as it came (a uint32, so above
   * {@code Integer.MAX_VALUE} it reads negative) for {@link #problem} to refuse.
   *
   * @param from the publisher's client id, as EMQX puts it in {@code Message.from}
   * @param userProperties MQTT 5 user properties (v3 only; empty for v2)
   * @param contentType MQTT 5 content type (v3 only), or null
   */
  static InboundMessage inbound(
      String topic,
      ByteString payload,
      int qos,
      String from,
      Map<String, String> headers,
      List<Map.Entry<String, String>> userProperties,
      String contentType) {
    String username = headers.get(USERNAME);
    return new InboundMessage(
        topic,
        payload.toByteArray(),
        qos,
        "true".equals(headers.get(RETAIN)),
        from,
        username == null || username.isEmpty() ? null : username,
        List.copyOf(userProperties),
        contentType == null || contentType.isEmpty() ? null : contentType,
        SOURCE);
  }

  /**
   * Why MQTT would refuse {@code message}, or null when it would not: its topic must be a valid
   * topic name (as the MQTT listener checks it, {@link TopicNames}) and its QoS 0, 1 or 2.
   */
  static String problem(InboundMessage message) {
    String topic = TopicNames.problem(message.topic());
    if (topic != null) {
      return "the topic " + topic;
    }
    if (message.qos() < 0 || message.qos() > 2) {
      return "QoS " + Integer.toUnsignedString(message.qos()) + " is not 0, 1 or 2";
    }
    return null;
  }

  /** The Content-Type among MQTT 5 properties given as name/value pairs, or null. */
  static String contentType(List<Map.Entry<String, String>> properties) {
    for (Map.Entry<String, String> property : properties) {
      if (CONTENT_TYPE.equalsIgnoreCase(property.getKey())) {
        return property.getValue();
      }
    }
    return null;
  }

  /**
   * Sends the one answer of a unary call. EMQX may have given up on the call already (its
   * request_timeout passed); the answer is then dropped.
   */
  static <T> void reply(StreamObserver<T> observer, T answer) {
    if (observer instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
      log.debug("ExHook call cancelled by EMQX before the answer was ready");
      return;
    }
    try {
      observer.onNext(answer);
      observer.onCompleted();
    } catch (RuntimeException e) {
      log.debug("ExHook answer not sent: {}", e.toString());
    }
  }
}
