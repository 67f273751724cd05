package io.inlet.server.subscription;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who is calling: the peer address and the {@code user-agent} header, which ListConsumers reports
 * for each consumer. The {@link #INTERCEPTOR} puts it into the gRPC context of every call it wraps;
 * {@link #current()} reads it there.
 */
record CallerInfo(String uri, String userAgent) {
  private static final Context.Key<CallerInfo> KEY = Context.key("inlet-caller-info");
  private static final Metadata.Key<String> USER_AGENT =
      Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  private static final CallerInfo UNKNOWN = new CallerInfo("", "");

  static final ServerInterceptor INTERCEPTOR =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          String agent = headers.get(USER_AGENT);
          CallerInfo info =
              new CallerInfo(
                  uri(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                  agent == null ? "" : agent);
          return Contexts.interceptCall(
              Context.current().withValue(KEY, info), call, headers, next);
        }
      };

  /** The caller of the current call, or empty strings when the interceptor did not run. */
  static CallerInfo current() {
    CallerInfo info = KEY.get();
    return info == null ? UNKNOWN : info;
  }

  private static String uri(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      String host =
          inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
      return host.indexOf(':') >= 0
          ? "[" + host + "]:" + inet.getPort()
          : host + ":" + inet.getPort();
    }
    return address == null ? "" : address.toString();
  }
}
