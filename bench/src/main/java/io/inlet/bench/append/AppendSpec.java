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
 * @param replicationFactor copies of each record (the stream's {@code replicationFactor})
 * @param followLeaders dial each shard's leader as LookupShard names it, as HStreamDB clients do,
 *     instead of the target (whose node would forward the appends of other nodes' shards)
 */
public record AppendSpec(
    int recordBytes,
    int batchSize,
    int clients,
    int channels,
    int shards,
    Duration warmup,
    Duration maxWarmup,
    Duration duration,
    int replicationFactor,
    boolean followLeaders) {

  public String label() {
    return recordBytes
        + "B x"
        + batchSize
        + " c"
        + clients
        + " s"
        + shards
        + (replicationFactor > 1 ? " rf" + replicationFactor : "");
  }
}
