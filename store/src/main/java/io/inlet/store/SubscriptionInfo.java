package io.inlet.store;

import java.time.Instant;

/** A subscription's settings. {@code startFromLatest} false means EARLIEST. */
public record SubscriptionInfo(
    String id,
    String streamName,
    int ackTimeoutSeconds,
    int maxUnackedRecords,
    boolean startFromLatest,
    Instant createdAt) {}
