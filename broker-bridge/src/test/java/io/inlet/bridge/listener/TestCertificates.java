package io.inlet.bridge.listener;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA with a server certificate (localhost, 127.0.0.1) and client certificates. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its key. */
  public record Issued(X509Certificate certificate, KeyPair keys) {}

  private final Issued ca;

  private TestCertificates(Issued ca) {
    this.ca = ca;
  }

  public static TestCertificates newCa() throws Exception {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=Inlet Test CA");
    X509v3CertificateBuilder builder = builder(name, name, keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestCertificates(new Issued(sign(builder, keys), keys));
  }

  public Issued ca() {
    return ca;
  }

  public Issued server() throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(name(ca.certificate()), new X500Name("CN=localhost"), keys);
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    return new Issued(sign(builder, ca.keys()), keys);
  }

  public Issued client(String commonName) throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(name(ca.certificate()), new X500Name("CN=" + commonName + ",O=Devices"), keys);
    return new Issued(sign(builder, ca.keys()), keys);
  }

  private static X500Name name(X509Certificate certificate) {
    return new X500Name(certificate.getSubjectX500Principal().getName());
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  /** Writes the certificate (PEM) to {@code cert} and its key (PKCS#8 PEM) to {@code key}. */
  public static void writePem(Issued issued, Path cert, Path key) throws IOException {
    writeCertificate(issued.certificate(), cert);
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(issued.keys().getPrivate().getEncoded());
    Files.writeString(
        key, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
  }

  public static void writeCertificate(X509Certificate certificate, Path file) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(certificate);
    }
    Files.writeString(file, text.toString());
  }

  public TrustManagerFactory trustManagers() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  public static KeyManagerFactory keyManagers(Issued client, Issued ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry(
        "client",
        client.keys().getPrivate(),
        password,
        new java.security.cert.Certificate[] {client.certificate(), ca.certificate()});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory;
  }
}
