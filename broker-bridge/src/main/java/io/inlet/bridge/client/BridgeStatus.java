package io.inlet.bridge.client;

import java.time.Instant;
import java.util.List;

/**
 * A bridge's state and counts since the node started.
 *
 * @param subscribed whether the broker accepted the subscriptions (made on the first connection)
 * @param connectedSince when the current connection came up; null when not connected
 * @param lastError the last connection or storage failure, or null
 * @param lastErrorAt when it happened, or null
 * @param messagesIn messages received from the broker (redeliveries included)
 * @param messagesStored messages stored durably and acknowledged upstream
 * @param messagesUnmatched messages no rule matched (acknowledged; nothing stored)
 * @param messagesRejected messages their rule rejected (acknowledged; nothing stored)
 * @param storeFailures messages the store could not take (not acknowledged; the broker redelivers
 *     them after a reconnect)
 * @param reconnects connection attempts after the first
 */
public record BridgeStatus(
    String name,
    String host,
    int port,
    boolean tls,
    String protocol,
    String clientId,
    List<String> subscriptions,
    BridgeState state,
    boolean subscribed,
    Instant connectedSince,
    String lastError,
    Instant lastErrorAt,
    long messagesIn,
    long messagesStored,
    long messagesUnmatched,
    long messagesRejected,
    long storeFailures,
    long reconnects) {}
