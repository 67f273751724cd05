package io.inlet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No module uses another module's {@code internal} packages (main or test sources): the store opens
 * through {@link StreamStore#open} and repairs through {@link StoreRepair}, never through {@code
 * io.inlet.store.internal}. Scans the sources of every module of the repository, so a new module is
 * covered without being listed here. And the modules' poms keep the edges of the architecture: the
 * CLI pulls neither the MQTT side nor the server, the EMQX plugin only the contracts ({@code api}).
 */
class ModuleBoundariesTest {

  @Test
  void no_module_uses_another_modules_internal_packages() {
    Path root = repositoryRoot();
    assertThat(internalPackages(root))
        .as("the store's internal package is found, so the scan looks in the right place")
        .containsKey("io.inlet.store.internal");
    assertThat(violations(root)).isEmpty();
  }

  @Test
  void the_scan_finds_an_import_of_another_modules_internal_package(@TempDir Path root)
      throws IOException {
    write(root.resolve("store/src/main/java/io/inlet/store/internal/Impl.java"), "class Impl {}");
    write(
        root.resolve("server/src/test/java/io/inlet/server/UsesImpl.java"),
        "package io.inlet.server;\nimport io.inlet.store.internal.Impl;\nclass UsesImpl {}");
    write(
        root.resolve("store/src/test/java/io/inlet/store/internal/ImplTest.java"),
        "package io.inlet.store.internal;\nimport io.inlet.store.internal.Impl;\nclass ImplTest {}");

    assertThat(violations(root))
        .containsExactly(
            "server/src/test/java/io/inlet/server/UsesImpl.java uses io.inlet.store.internal");
  }

  @Test
  void the_cli_and_the_emqx_plugin_depend_on_the_contracts_only() {
    ModuleGraph modules = ModuleGraph.read(repositoryRoot());
    assertThat(modules.dependenciesOf("server"))
        .as("the graph is read from the poms, so the checks below look at real modules")
        .contains("api", "store", "broker-bridge", "cli");
    assertThat(modules.dependenciesOf("cli")).doesNotContain("broker-bridge", "server");
    assertThat(modules.dependenciesOf("emqx-plugin")).containsExactly("api");
  }

  @Test
  void the_graph_follows_dependencies_through_other_modules(@TempDir Path root) throws IOException {
    write(root.resolve("api/pom.xml"), pom("inlet-api"));
    write(root.resolve("broker-bridge/pom.xml"), pom("inlet-broker-bridge", "inlet-api"));
    write(root.resolve("cli/pom.xml"), pom("inlet-cli", "inlet-broker-bridge"));

    assertThat(ModuleGraph.read(root).dependenciesOf("cli"))
        .containsExactly("api", "broker-bridge");
  }

  private static String pom(String artifact, String... dependencies) {
    StringBuilder xml =
        new StringBuilder("<project><artifactId>" + artifact + "</artifactId><dependencies>");
    for (String dependency : dependencies) {
      xml.append("<dependency><groupId>io.inlet</groupId><artifactId>")
          .append(dependency)
          .append("</artifactId></dependency>");
    }
    xml.append("<dependency><groupId>io.inlet</groupId><artifactId>inlet-server</artifactId>")
        .append("<scope>test</scope></dependency>");
    return xml.append("</dependencies></project>").toString();
  }

  /** "file uses package" for each file that names another module's internal package. */
  static List<String> violations(Path root) {
    Map<String, Path> internals = internalPackages(root);
    List<String> found = new ArrayList<>();
    for (Path module : modules(root)) {
      for (Path file : javaFiles(module.resolve("src"))) {
        String text = read(file);
        internals.forEach(
            (pkg, owner) -> {
              if (!owner.equals(module) && text.contains(pkg + ".")) {
                found.add(root.relativize(file) + " uses " + pkg);
              }
            });
      }
    }
    return found;
  }

  /** Each package named {@code ...internal} in a module's main sources, with its module. */
  static Map<String, Path> internalPackages(Path root) {
    Map<String, Path> packages = new TreeMap<>();
    for (Path module : modules(root)) {
      Path sources = module.resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      try (Stream<Path> dirs = Files.walk(sources)) {
        dirs.filter(Files::isDirectory)
            .filter(dir -> dir.getFileName().toString().equals("internal"))
            .forEach(
                dir -> packages.put(sources.relativize(dir).toString().replace('/', '.'), module));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return packages;
  }

  private static List<Path> modules(Path root) {
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(dir -> Files.isDirectory(dir.resolve("src"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
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
