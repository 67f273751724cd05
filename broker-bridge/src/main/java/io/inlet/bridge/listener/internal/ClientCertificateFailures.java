package io.inlet.bridge.listener.internal;

import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.internal.connect.ClientAddresses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.CertificateException;

/**
 * Counts a TLS handshake that failed on the client's certificate as a failed login of its address
 * (see {@link io.inlet.bridge.auth.LoginThrottle}). Only in the pipeline of a TLS endpoint that
 * asks for client certificates. A handshake that fails for another reason (the client closed, spoke
 * plain TCP, or refused the server's certificate) is not a login and is not counted.
 */
public final class ClientCertificateFailures extends ChannelInboundHandlerAdapter {
  private final Authenticator authenticator;

  ClientCertificateFailures(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      if (isClientCertificateProblem(done.cause())) {
        authenticator.certificateRejected(ClientAddresses.of(ctx.channel()));
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  public static boolean isClientCertificateProblem(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }
}
