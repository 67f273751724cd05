package io.inlet.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every call of the service it wraps in {@link GrpcMetrics}: once when it starts, once when
 * it ends (closed by the server, or cancelled by the client). At debug level it also logs one line
 * per call that did not end OK.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(GrpcMetricsInterceptor.class);

  private final GrpcMetrics metrics;

  public GrpcMetricsInterceptor(GrpcMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> descriptor = call.getMethodDescriptor();
    String method = descriptor.getBareMethodName();
    boolean unary = descriptor.getType() == MethodDescriptor.MethodType.UNARY;
    long start = System.nanoTime();
    AtomicBoolean ended = new AtomicBoolean();
    metrics.started(method);
    ServerCall<Q, R> counted =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (ended.compareAndSet(false, true)) {
              metrics.handled(method, status.getCode(), unary ? System.nanoTime() - start : -1);
              if (!status.isOk() && log.isDebugEnabled()) {
                log.debug("{} ended {}: {}", method, status.getCode(), status.getDescription());
              }
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
      @Override
      public void onCancel() {
        if (ended.compareAndSet(false, true)) {
          metrics.handled(method, Status.Code.CANCELLED, unary ? System.nanoTime() - start : -1);
        }
        super.onCancel();
      }
    };
  }
}
