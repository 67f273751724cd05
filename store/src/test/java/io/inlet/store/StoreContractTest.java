package io.inlet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store speaks only its own contract: no source of the store names gRPC ({@code io.grpc}) or a
 * wire message of the API module (the packages its {@code .proto} files generate, HStreamDB's among
 * them). It stores opaque {@link Entry entries}; the edges encode and decode the wire's types.
 */
class StoreContractTest {
  private static final Pattern JAVA_PACKAGE =
      Pattern.compile("option\\s+java_package\\s*=\\s*\"([\\w.]+)\"");

  @Test
  void no_store_source_names_a_wire_message_or_grpc() {
    Path root = repositoryRoot();
    Set<String> forbidden = forbiddenPackages(root);
    assertThat(forbidden)
        .as("the API's generated packages are found, so the scan looks for the right names")
        .contains("io.inlet.api.hstream", "io.grpc");
    assertThat(violations(root.resolve("store/src/main/java"), forbidden)).isEmpty();
  }

  @Test
  void the_scan_finds_a_store_type_that_names_a_wire_message(@TempDir Path sources)
      throws IOException {
    Path file = sources.resolve("io/inlet/store/Leaky.java");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "package io.inlet.store;\n"
            + "public record Leaky(io.inlet.api.hstream.BatchedRecord batch) {}\n");

    assertThat(violations(sources, forbiddenPackages(repositoryRoot())))
        .containsExactly("io/inlet/store/Leaky.java names io.inlet.api.hstream");
  }

  /** {@code io.grpc} and every Java package the API module's protos generate. */
  static Set<String> forbiddenPackages(Path root) {
    Set<String> packages = new TreeSet<>(List.of("io.grpc"));
    for (Path proto : files(root.resolve("api/src/main/proto"), ".proto")) {
      Matcher m = JAVA_PACKAGE.matcher(read(proto));
      if (m.find()) {
        packages.add(m.group(1));
      }
    }
    return packages;
  }

  /** "file names package" for each source under {@code sources} naming a forbidden package. */
  static List<String> violations(Path sources, Set<String> forbidden) {
    List<String> found = new ArrayList<>();
    for (Path file : files(sources, ".java")) {
      String text = read(file);
      for (String pkg : forbidden) {
        if (text.contains(pkg + ".")) {
          found.add(sources.relativize(file) + " names " + pkg);
        }
      }
    }
    return found;
  }

  private static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory holding the parent pom and this module (Surefire runs in the module's dir). */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isRegularFile(dir.resolve("store/pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
