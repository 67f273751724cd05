package io.inlet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-loss file system keeps exactly what was fsync'd: file data after an fsync of the file,
 * names after an fsync of their directory. These are the rules {@code PowerLossIT} relies on to
 * tell an acknowledged-and-durable record from one that was only in the page cache.
 */
class PowerLossFileSystemIT {
  @TempDir Path dir;

  private Path store;
  private Path mount;

  @BeforeEach
  void prerequisites() {
    PowerLossFileSystem.requireAvailable();
    store = dir.resolve("store");
    mount = dir.resolve("mnt");
  }

  @Test
  void data_written_but_not_fsynced_is_lost_at_a_cut() throws Exception {
    try (PowerLossFileSystem fs = mountFs()) {
      Path file = mount.resolve("log");
      write(file, "synced;", true);
      fsyncDirectory(mount);
      append(file, "unsynced", false);
      assertThat(Files.readString(file)).isEqualTo("synced;unsynced");
      assertThat(fs.cut().path("droppedBytes").asLong()).isEqualTo("unsynced".length());
      fs.unmount();
    }
    try (PowerLossFileSystem ignored = mountFs()) {
      assertThat(Files.readString(mount.resolve("log"))).isEqualTo("synced;");
    }
  }

  @Test
  void a_new_file_needs_an_fsync_of_its_directory() throws Exception {
    try (PowerLossFileSystem fs = mountFs()) {
      write(mount.resolve("named"), "a", true);
      fsyncDirectory(mount);
      write(mount.resolve("unnamed"), "b", true);
      fs.cut();
      fs.unmount();
    }
    try (PowerLossFileSystem ignored = mountFs()) {
      assertThat(mount.resolve("named")).hasContent("a");
      assertThat(mount.resolve("unnamed")).doesNotExist();
    }
  }

  @Test
  void a_rename_needs_an_fsync_of_its_directory() throws Exception {
    try (PowerLossFileSystem fs = mountFs()) {
      write(mount.resolve("CURRENT"), "old", true);
      write(mount.resolve("moved.tmp"), "moved", true);
      write(mount.resolve("kept.tmp"), "kept", true);
      fsyncDirectory(mount);
      Files.move(
          mount.resolve("moved.tmp"), mount.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(mount);
      Files.move(mount.resolve("kept.tmp"), mount.resolve("other"), StandardCopyOption.ATOMIC_MOVE);
      Files.delete(mount.resolve("CURRENT"));
      fs.cut();
      fs.unmount();
    }
    try (PowerLossFileSystem ignored = mountFs()) {
      assertThat(mount.resolve("CURRENT")).hasContent("moved");
      assertThat(mount.resolve("kept.tmp")).hasContent("kept");
      assertThat(mount.resolve("moved.tmp")).doesNotExist();
      assertThat(mount.resolve("other")).doesNotExist();
    }
  }

  @Test
  void a_clean_unmount_keeps_everything() throws Exception {
    try (PowerLossFileSystem fs = mountFs()) {
      Files.createDirectories(mount.resolve("sub"));
      write(mount.resolve("sub").resolve("f"), "never synced", false);
      fs.unmount();
    }
    try (PowerLossFileSystem ignored = mountFs()) {
      assertThat(mount.resolve("sub").resolve("f")).hasContent("never synced");
    }
  }

  @Test
  void a_failed_fsync_abandons_what_it_covered_even_once_fsyncs_succeed_again() throws Exception {
    Path file = mount.resolve("log");
    try (PowerLossFileSystem fs = mountFs()) {
      write(file, "synced;", true);
      fsyncDirectory(mount);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
        channel.write(ByteBuffer.wrap("abandoned;".getBytes(StandardCharsets.UTF_8)));
        fs.failSyncs();
        assertThatThrownBy(() -> channel.force(false)).isInstanceOf(IOException.class);
        fs.healSyncs();
        channel.force(false);
        channel.write(ByteBuffer.wrap("rewritten".getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
      }
      assertThat(Files.readString(file)).isEqualTo("synced;abandoned;rewritten");
      assertThat(fs.stats().path("failedFsyncs").asLong()).isEqualTo(1);
      fs.cut();
      fs.unmount();
    }
    try (PowerLossFileSystem ignored = mountFs()) {
      assertThat(Files.readString(file))
          .isEqualTo("synced;" + "\0".repeat("abandoned;".length()) + "rewritten");
    }
  }

  @Test
  void after_a_cut_every_operation_fails() throws Exception {
    try (PowerLossFileSystem fs = mountFs()) {
      Path file = mount.resolve("f");
      write(file, "x", true);
      fs.cut();
      assertThat(Files.isReadable(file) && readable(file)).isFalse();
      fs.unmount();
    }
  }

  private PowerLossFileSystem mountFs() throws IOException, InterruptedException {
    return PowerLossFileSystem.mount(store, mount, dir.resolve("fs.log"));
  }

  private static boolean readable(Path file) {
    try {
      Files.readAllBytes(file);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void write(Path file, String text, boolean fsync) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      if (fsync) {
        channel.force(true);
      }
    }
  }

  private static void append(Path file, String text, boolean fsync) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      if (fsync) {
        channel.force(true);
      }
    }
  }

  /** An fsync of a directory, as RocksDB does after creating or renaming files in it. */
  static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
