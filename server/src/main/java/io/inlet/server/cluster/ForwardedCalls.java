package io.inlet.server.cluster;

import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.MetadataUtils;

/**
 * Marks a call one node forwards to another, so the receiving node answers it itself instead of
 * forwarding it again (two nodes that disagree for a moment on a connector's owner must not pass a
 * call back and forth).
 */
final class ForwardedCalls {
  private static final Metadata.Key<String> HEADER =
      Metadata.Key.of("inlet-forwarded-by", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> FORWARDED_BY = Context.key("inlet-forwarded-by");

  private ForwardedCalls() {}

  /** Attaches the mark to calls made through it. */
  static ClientInterceptor marking(int selfId) {
    Metadata headers = new Metadata();
    headers.put(HEADER, Integer.toString(selfId));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  /** Reads the mark of an incoming call into its context. */
  static ServerInterceptor reading() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String by = headers.get(HEADER);
        if (by == null) {
          return next.startCall(call, headers);
        }
        return Contexts.interceptCall(
            Context.current().withValue(FORWARDED_BY, by), call, headers, next);
      }
    };
  }

  /** Whether the call being served was forwarded by another node. */
  static boolean isForwarded() {
    return FORWARDED_BY.get() != null;
  }
}
