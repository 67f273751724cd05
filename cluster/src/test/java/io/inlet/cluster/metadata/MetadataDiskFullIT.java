package io.inlet.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.Await;
import io.inlet.testing.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata leader's disk fills (each voter's data dir on a small tmpfs of its own): the other
 * voters go on committing writes, the full node stays up, and once space is freed it catches up.
 * Mounting needs root; elsewhere the test is skipped, or fails in CI.
 */
class MetadataDiskFullIT {
  private static final Duration CONVERGE = LocalMetadataGroup.CONVERGE;
  private static final byte[] LARGE = new byte[256 << 10];

  @RegisterExtension final SmallTmpfs disk1 = SmallTmpfs.ofMegabytes(48);
  @RegisterExtension final SmallTmpfs disk2 = SmallTmpfs.ofMegabytes(48);
  @RegisterExtension final SmallTmpfs disk3 = SmallTmpfs.ofMegabytes(48);
  @TempDir Path dir;
  private LocalMetadataGroup group;

  @AfterEach
  void closeAll() throws Exception {
    if (group != null) {
      group.close();
    }
  }

  @Test
  void the_others_keep_writing_while_the_leaders_disk_is_full_and_it_catches_up_once_freed()
      throws Exception {
    List<SmallTmpfs> disks = List.of(disk1, disk2, disk3);
    for (int id = 1; id <= 3; id++) {
      Files.createSymbolicLink(dir.resolve("node-" + id), disks.get(id - 1).path());
    }
    group =
        LocalMetadataGroup.of(dir, 3).tuning(s -> s.withSnapshots(1_000_000, 1 << 20)).startAll();
    int leader = group.awaitLeader();
    int other = group.otherThan(leader);
    group.node(other).write(MetadataWrite.put("rules", "before", LARGE)).join();

    Path filler = disks.get(leader - 1).fillAllBut(64 << 10);
    int written = 0;
    for (; written < 40; written++) {
      group
          .node(other)
          .write(MetadataWrite.put("rules", "full-" + written, LARGE))
          .get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
    }
    System.out.printf(
        "metadata: %d writes of %d KiB committed with the leader's (node %d) disk full; leader now"
            + " %s%n",
        written, LARGE.length >> 10, leader, group.node(other).leaderId());
    assertThat(group.node(leader).get("rules", "before", ReadMode.LOCAL).join())
        .as("the full node still answers")
        .isPresent();
    // Through the full node, reads and writes go to the group.
    assertThat(
            group
                .node(leader)
                .get("rules", "full-0", ReadMode.LINEARIZABLE)
                .get(CONVERGE.toSeconds(), TimeUnit.SECONDS))
        .as("a linearizable read through the full node")
        .isPresent();
    group
        .node(leader)
        .write(MetadataWrite.put("rules", "through-the-full-node", LARGE))
        .get(CONVERGE.toSeconds(), TimeUnit.SECONDS);

    Files.delete(filler);
    int last = written - 1;
    Await.until(
        "the node whose disk was full applies the writes it missed",
        CONVERGE,
        () -> group.node(leader).get("rules", "full-" + last, ReadMode.LOCAL).join().isPresent());
    group.node(leader).write(MetadataWrite.put("rules", "after", LARGE)).join();
  }
}
