package io.inlet.sql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore point's directory packed on one node and unpacked on another. */
class SharedCheckpointsTest {
  @TempDir Path dir;

  @Test
  void a_packed_restore_point_unpacks_with_every_file_under_its_own_name() throws IOException {
    Path point = dir.resolve("node-1/checkpoints/q/4f2a/chk-7");
    Files.createDirectories(point.resolve("op"));
    Files.write(point.resolve("_metadata"), new byte[] {1, 2, 3});
    Files.writeString(point.resolve("op/state-1"), "exclusive state", StandardCharsets.UTF_8);

    byte[] archive = SharedCheckpoints.pack(point);
    Path unpacked = SharedCheckpoints.unpack(archive, dir.resolve("node-2/checkpoints/q/shared"));

    assertThat(unpacked).isEqualTo(dir.resolve("node-2/checkpoints/q/shared/chk-7"));
    assertThat(Files.readAllBytes(unpacked.resolve("_metadata"))).containsExactly(1, 2, 3);
    assertThat(Files.readString(unpacked.resolve("op/state-1"))).isEqualTo("exclusive state");
  }

  @Test
  void an_archive_without_metadata_or_with_an_entry_outside_its_directory_is_refused()
      throws IOException {
    Path into = dir.resolve("into");
    assertThatThrownBy(() -> SharedCheckpoints.unpack(zip("chk-1/op/state", "x"), into))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("_metadata");
    assertThatThrownBy(() -> SharedCheckpoints.unpack(zip("chk-1/../../escaped", "x"), into))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("outside");
    assertThat(dir.resolve("escaped")).doesNotExist();
    assertThatThrownBy(() -> SharedCheckpoints.unpack(zip("_metadata", "x"), into))
        .as("a file beside the restore point's directory rather than in it")
        .isInstanceOf(IOException.class);
  }

  private static byte[] zip(String name, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return out.toByteArray();
  }
}
