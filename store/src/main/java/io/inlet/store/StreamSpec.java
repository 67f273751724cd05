package io.inlet.store;

/**
 * What a caller asks for when creating a stream. {@code backlogSeconds} 0 keeps records until
 * trimmed.
 */
public record StreamSpec(String name, int shardCount, int replicationFactor, int backlogSeconds) {}
