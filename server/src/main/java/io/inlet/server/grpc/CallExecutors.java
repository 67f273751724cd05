package io.inlet.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.util.concurrent.Executor;

/**
 * Which thread runs a gRPC call's handler, for a server built with {@code directExecutor()}. Append
 * stays on the Netty event loop that read it: its handler checks the batch and queues it for the
 * store's writer, and nothing in it blocks, so a hand-off to a pool thread (a wake-up and a context
 * switch per call) would cost more than the work. Every other method may block (reads, metadata
 * writes, SQL) and runs on {@code blocking}, the node's gRPC executor.
 */
public final class CallExecutors implements ServerCallExecutorSupplier {
  private static final String APPEND = HStreamApiGrpc.getAppendMethod().getFullMethodName();

  private final Executor blocking;

  public CallExecutors(Executor blocking) {
    this.blocking = blocking;
  }

  /** {@code null} (stay on the event loop) for Append; the blocking executor otherwise. */
  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
    return APPEND.equals(call.getMethodDescriptor().getFullMethodName()) ? null : blocking;
  }
}
