package io.inlet.sql.engine;

import io.inlet.api.state.KeyValueStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each query's newest restore point (a completed checkpoint or a savepoint), shared through the
 * engine's state (the cluster's replicated metadata) so that the node that takes a query over
 * resumes it where its owner stopped, with its state, instead of from nothing.
 *
 * <p>The owner shares a restore point once its metadata reads back whole: the files of its
 * directory, zipped, with the time it was taken, in one atomic write of {@value #NAMESPACE}. A
 * newer restore point replaces it; an older one (from a node that ran the query for a moment while
 * membership settled) never does. The taker unpacks it into its own checkpoint directory when it is
 * newer than anything it has itself. Flink writes the state of a checkpoint's own files with paths
 * relative to it, so the directory can move between nodes.
 *
 * <p>An archive above {@value #MAX_ARCHIVE_BYTES} bytes is not shared (each is one entry of the
 * metadata's Raft log): such a query resumes elsewhere from the last archive that fitted, said once
 * in the log.
 */
final class SharedCheckpoints {
  private static final Logger log = LoggerFactory.getLogger(SharedCheckpoints.class);
  static final String NAMESPACE = "sql.checkpoints";
  static final int MAX_ARCHIVE_BYTES = 1 << 20;
  private static final String ARCHIVE = "archive/";
  private static final String TAKEN_AT = "taken-at/";
  private static final String UNPACKED = "from-cluster";

  private final KeyValueStore store;
  private final FlinkSession session;

  /** The taking time of the restore point known to be shared, per query. */
  private final Map<String, Long> sharedAt = new ConcurrentHashMap<>();

  private final Set<String> tooLarge = ConcurrentHashMap.newKeySet();

  SharedCheckpoints(KeyValueStore store, FlinkSession session) {
    this.store = store;
    this.session = session;
  }

  /**
   * Shares the query's newest restore point on this node if it is newer than the one shared. One
   * whose {@code _metadata} does not read back whole (Flink may be writing it) is left for the next
   * call.
   */
  void share(String query) {
    Optional<Path> point = session.latestRestorePoint(query);
    if (point.isEmpty()) {
      return;
    }
    long takenAt = takenAt(point.get());
    if (takenAt <= sharedAt.getOrDefault(query, Long.MIN_VALUE)) {
      return;
    }
    long shared = sharedTakenAt(query);
    if (takenAt <= shared) {
      sharedAt.put(query, shared);
      return;
    }
    byte[] archive;
    try {
      readsWhole(point.get());
      archive = pack(point.get());
    } catch (IOException | RuntimeException e) {
      // Flink removed it meanwhile (it keeps two): the next call shares a newer one.
      log.debug("query \"{}\": restore point {} not shared: {}", query, point.get(), e.toString());
      return;
    }
    if (archive.length > MAX_ARCHIVE_BYTES) {
      if (tooLarge.add(query)) {
        log.warn(
            "query \"{}\": its checkpoint ({} bytes) is larger than {} bytes and is not shared;"
                + " another node that takes the query resumes it from the last one that was",
            query,
            archive.length,
            MAX_ARCHIVE_BYTES);
      }
      return;
    }
    store.apply(
        NAMESPACE, Map.of(ARCHIVE + query, archive, TAKEN_AT + query, bytes(takenAt)), List.of());
    sharedAt.put(query, takenAt);
    log.debug(
        "query \"{}\": restore point {} shared ({} bytes)", query, point.get(), archive.length);
  }

  /**
   * Unpacks the query's shared restore point into this node's checkpoint directory when it is newer
   * than every restore point the node has, so that {@link FlinkSession#latestRestorePoint} finds
   * it.
   */
  void fetch(String query) {
    long shared = sharedTakenAt(query);
    if (shared == Long.MIN_VALUE) {
      return;
    }
    Optional<Path> local = session.latestRestorePoint(query);
    if (local.isPresent() && takenAt(local.get()) >= shared) {
      return;
    }
    Optional<byte[]> archive = store.get(NAMESPACE, ARCHIVE + query);
    if (archive.isEmpty()) {
      return;
    }
    Path into = session.checkpointDir(query).resolve(UNPACKED);
    FlinkSession.deleteRecursively(into);
    try {
      Path point = unpack(archive.get(), into);
      Files.setLastModifiedTime(point.resolve("_metadata"), FileTime.fromMillis(shared));
      sharedAt.put(query, shared);
      log.info("query \"{}\": resumes from the restore point shared in the cluster", query);
    } catch (IOException e) {
      throw new UncheckedIOException("query " + query + ": cannot unpack its shared checkpoint", e);
    }
  }

  /** Forgets the query's shared restore point (the query is deleted). */
  void delete(String query) {
    store.apply(NAMESPACE, Map.of(), List.of(ARCHIVE + query, TAKEN_AT + query));
    sharedAt.remove(query);
    tooLarge.remove(query);
  }

  /** Reads the restore point's {@code _metadata} as Flink does on restore, or throws. */
  private static void readsWhole(Path point) throws IOException {
    byte[] metadata = Files.readAllBytes(point.resolve("_metadata"));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(metadata))) {
      Checkpoints.loadCheckpointMetadata(
          in, SharedCheckpoints.class.getClassLoader(), point.toString());
    }
  }

  private long sharedTakenAt(String query) {
    return store
        .get(NAMESPACE, TAKEN_AT + query)
        .map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII)))
        .orElse(Long.MIN_VALUE);
  }

  private static long takenAt(Path point) {
    try {
      return Files.getLastModifiedTime(point.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }

  private static byte[] bytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** The restore point's files, zipped under the directory's own name. */
  static byte[] pack(Path point) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String root = point.getFileName().toString();
    try (ZipOutputStream zip = new ZipOutputStream(out);
        Stream<Path> files = Files.walk(point)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        zip.putNextEntry(new ZipEntry(root + "/" + point.relativize(file).toString()));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /**
   * Unpacks an archive made by {@link #pack} under {@code into}.
   *
   * @return the restore point's directory
   */
  static Path unpack(byte[] archive, Path into) throws IOException {
    Path root = null;
    Path base = into.toAbsolutePath().normalize();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path file = base.resolve(entry.getName()).normalize();
        if (!file.startsWith(base) || file.getNameCount() <= base.getNameCount() + 1) {
          throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        Files.createDirectories(file.getParent());
        Files.copy(zip, file);
        root = base.resolve(file.getName(base.getNameCount()));
      }
    }
    if (root == null || !Files.isRegularFile(root.resolve("_metadata"))) {
      throw new IOException("the archive holds no _metadata file");
    }
    return root;
  }
}
