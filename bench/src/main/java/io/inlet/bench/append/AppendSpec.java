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
 * @param warmup load before measuring, at least
 * @param maxWarmup load before measuring, at most: after {@code warmup} the run waits for the
 *     server's JIT compilers to settle ({@link io.inlet.bench.report.JitSettling}) until this much
 *     warm-up in all
 * @param duration measured time
 */
public record AppendSpec(
    int recordBytes,
    int batchSize,
    int clients,
    int channels,
    int shards,
    Duration warmup,
    Duration maxWarmup,
    Duration duration) {

  public String label() {
    return recordBytes + "B x" + batchSize + " c" + clients + " s" + shards;
  }
}
