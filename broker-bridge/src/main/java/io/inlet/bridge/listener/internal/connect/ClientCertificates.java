package io.inlet.bridge.listener.internal.connect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The identity in a TLS client certificate (verified by the handshake against the client CA). */
public final class ClientCertificates {
  private ClientCertificates() {}

  /** The CN of the client's certificate, or null without TLS or without a certificate. */
  public static String commonName(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
        return commonName(certificate.getSubjectX500Principal().getName());
      }
    } catch (SSLPeerUnverifiedException e) {
      // no certificate (client auth optional)
    }
    return null;
  }

  public static String commonName(String distinguishedName) {
    try {
      for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }
}
