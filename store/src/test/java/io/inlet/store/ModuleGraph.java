package io.inlet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Which of the repository's modules each module depends on outside test scope, read from the {@code
 * pom.xml} of every folder below the root that has one. Modules are named by folder.
 */
final class ModuleGraph {
  private static final String GROUP = "io.inlet";

  private final Map<String, Set<String>> direct;

  private ModuleGraph(Map<String, Set<String>> direct) {
    this.direct = direct;
  }

  static ModuleGraph read(Path root) {
    Map<String, String> folderByArtifact = new HashMap<>();
    Map<String, Document> poms = new HashMap<>();
    try (Stream<Path> children = Files.list(root)) {
      for (Path dir : children.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).toList()) {
        Document pom = parse(dir.resolve("pom.xml"));
        String folder = dir.getFileName().toString();
        poms.put(folder, pom);
        folderByArtifact.put(childText(pom.getDocumentElement(), "artifactId"), folder);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Set<String>> direct = new HashMap<>();
    poms.forEach(
        (folder, pom) -> {
          Set<String> uses = new TreeSet<>();
          Element dependencies = child(pom.getDocumentElement(), "dependencies");
          NodeList list = dependencies == null ? null : dependencies.getChildNodes();
          for (int i = 0; list != null && i < list.getLength(); i++) {
            if (list.item(i) instanceof Element dependency
                && GROUP.equals(childText(dependency, "groupId"))
                && !"test".equals(childText(dependency, "scope"))) {
              String artifact = childText(dependency, "artifactId");
              uses.add(folderByArtifact.getOrDefault(artifact, artifact));
            }
          }
          direct.put(folder, uses);
        });
    return new ModuleGraph(direct);
  }

  /** The modules {@code module} depends on, directly or through others (outside test scope). */
  Set<String> dependenciesOf(String module) {
    if (!direct.containsKey(module)) {
      throw new IllegalArgumentException("no module " + module + " in " + direct.keySet());
    }
    Set<String> found = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(direct.get(module));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (found.add(next)) {
        todo.addAll(direct.getOrDefault(next, Set.of()));
      }
    }
    return found;
  }

  private static Document parse(Path pom) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String childText(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }
}
