package io.inlet.bench.append;

import java.time.Duration;

/**
 * One append run.
 *
 * @param recordBytes payload bytes per record
 * @param batchSize records per Append
 * @param clients concurrent clients, each with one Append in flight
 * @param channels gRPC channels (HTTP/2 connections) the clients are dealt over
 * @param shards shards of the stream; client i appends to shard i mod shards
 */
public record AppendSpec(
    int recordBytes,
    int batchSize,
    int clients,
    int channels,
    int shards,
    Duration warmup,
    Duration duration) {

  public String label() {
    return recordBytes + "B x" + batchSize + " c" + clients + " s" + shards;
  }
}
