package io.inlet.cluster.transport;

import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and node certificates for 127.0.0.1 made with the {@code openssl} command (EC
 * P-256 keys in PKCS#8, as a user would make them following docs/cluster.md).
 */
public final class TestCertificates {
  private final Path dir;
  private final String caName;

  private TestCertificates(Path dir, String caName) {
    this.dir = dir;
    this.caName = caName;
  }

  /** A new CA, its files in {@code dir}. */
  public static TestCertificates newCa(Path dir, String caName) throws Exception {
    RequiredServices.requireCommands("apt-get install openssl", "openssl");
    Files.createDirectories(dir);
    TestCertificates ca = new TestCertificates(dir, caName);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        caName + "-key.pem",
        "-out",
        caName + ".pem",
        "-subj",
        "/CN=" + caName,
        "-days",
        "2");
    return ca;
  }

  public Path caFile() {
    return dir.resolve(caName + ".pem");
  }

  /** A node certificate signed by this CA, naming {@code subjectAltName} (e.g. IP:127.0.0.1). */
  public ClusterTls node(String name, String subjectAltName) throws Exception {
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + "-key.pem",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=" + subjectAltName);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        caName + ".pem",
        "-CAkey",
        caName + "-key.pem",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-copy_extensions",
        "copy");
    return new ClusterTls(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"), caFile());
  }

  private static void openssl(Path dir, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Path log = Files.createTempFile("openssl-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
