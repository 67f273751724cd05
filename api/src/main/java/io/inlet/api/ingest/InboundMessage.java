package io.inlet.api.ingest;

import java.util.List;
import java.util.Map;

/**
 * One MQTT application message as it reached Inlet, from whichever path (the listener, the bridge
 * client, EMQX ExHook). Mapping rules turn it into a record of a stream.
 *
 * @param topic the topic it was published to (never a filter)
 * @param payload the payload bytes, unchanged; handed over with the message: the sender does not
 *     change the array afterwards (the ingestor stores it without copying it again)
 * @param qos 0, 1 or 2
 * @param retain the retain flag
 * @param clientId the publishing client's id ("" when unknown)
 * @param username the publishing client's authenticated username, or null: the listener gives only
 *     a username it verified (never one an anonymous client sent), a bridge none (MQTT does not say
 *     who published upstream), ExHook the username EMQX reports (verified as far as EMQX's own
 *     authentication goes)
 * @param userProperties MQTT 5 user properties in order (names may repeat); empty for 3.x
 * @param contentType MQTT 5 content type, or null
 * @param source where it came from, for logs and metrics: "listener", "bridge:&lt;upstream&gt;",
 *     "exhook"
 */
public record InboundMessage(
    String topic,
    byte[] payload,
    int qos,
    boolean retain,
    String clientId,
    String username,
    List<Map.Entry<String, String>> userProperties,
    String contentType,
    String source) {}
