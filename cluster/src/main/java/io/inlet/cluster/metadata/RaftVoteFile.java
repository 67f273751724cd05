package io.inlet.cluster.metadata;

import io.inlet.cluster.DurableFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.ratis.server.storage.RaftStorageMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis' record of a voter's term and vote: {@code current/raft-meta} in its storage directory,
 * Java properties {@code term} and {@code votedFor}. Ratis (3.1.3) can leave it empty when a write
 * of it fails on a full disk, and then refuses to start. A voter restarted after its log failed
 * writes it again from the term and vote its server held in memory, which are never behind what the
 * file held (Ratis changes them in memory only with or after writing them), so the voter cannot
 * vote twice in a term.
 */
final class RaftVoteFile {
  private static final Logger LOG = LoggerFactory.getLogger(RaftVoteFile.class);
  private static final String NAME = "raft-meta";
  private static final String TERM = "term";
  private static final String VOTED_FOR = "votedFor";

  private RaftVoteFile() {}

  /** Writes {@code held} to the file in {@code currentDir} unless the file is readable as it is. */
  static void restoreIfUnreadable(Path currentDir, RaftStorageMetadata held) throws IOException {
    Path file = currentDir.resolve(NAME);
    if (readable(file)) {
      return;
    }
    Properties properties = new Properties();
    properties.setProperty(TERM, Long.toString(held.getTerm()));
    properties.setProperty(VOTED_FOR, held.getVotedFor().toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    properties.store(bytes, "rewritten by Inlet after a failed write");
    DurableFile.replace(file, bytes.toByteArray());
    LOG.warn(
        "Metadata: {} was unreadable after a failed write; wrote it again with term {} and vote"
            + " '{}' as the Raft server held them",
        file,
        held.getTerm(),
        held.getVotedFor());
  }

  private static boolean readable(Path file) {
    if (!Files.exists(file)) {
      return true; // Ratis starts a voter without one at term 0
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
      Long.parseLong(properties.getProperty(TERM, ""));
      return properties.getProperty(VOTED_FOR) != null;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
