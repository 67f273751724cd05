package io.inlet.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.testing.RequiredServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
  @TempDir Path dir;

  @Test
  void hashes_are_salted_and_verify() {
    String a = PasswordHasher.hash("s3cret".toCharArray(), 1000);
    String b = PasswordHasher.hash("s3cret".toCharArray(), 1000);
    assertThat(a).startsWith("$pbkdf2-sha256$1000$").isNotEqualTo(b);
    assertThat(PasswordHasher.verify("s3cret".getBytes(StandardCharsets.UTF_8), a)).isTrue();
    assertThat(PasswordHasher.verify("secret".getBytes(StandardCharsets.UTF_8), a)).isFalse();
    assertThat(
            PasswordHasher.verify(
                "pässwörd".getBytes(StandardCharsets.UTF_8),
                PasswordHasher.hash("pässwörd".toCharArray(), 1000)))
        .isTrue();
  }

  @Test
  void saves_atomically_for_the_owner_only_and_loads_back() throws Exception {
    Path file = dir.resolve("passwords");
    PasswordFile.empty()
        .with("alice", PasswordHasher.hash("a".toCharArray(), 1000))
        .with("bob", PasswordHasher.hash("b".toCharArray(), 1000))
        .save(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    PasswordFile loaded = PasswordFile.load(file);
    assertThat(loaded.usernames()).containsExactly("alice", "bob");
    assertThat(loaded.without("alice").usernames()).containsExactly("bob");
  }

  @Test
  void bad_lines_name_the_file_and_line() throws Exception {
    Path file = dir.resolve("passwords");
    Files.writeString(file, "# users\nalice:plaintext\n");
    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(AuthFileException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("unsupported hash");
    assertThatThrownBy(() -> PasswordFile.empty().with("a:b", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reads_password_files_written_by_mosquitto_passwd() throws Exception {
    Path tool = Path.of("/usr/bin/mosquitto_passwd");
    RequiredServices.require(
        Files.isExecutable(tool), "mosquitto_passwd not installed (apt-get install mosquitto)");
    Path file = dir.resolve("mosquitto-passwords");
    Process p =
        new ProcessBuilder(tool.toString(), "-c", "-b", file.toString(), "carol", "hunter2")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    String hash = PasswordFile.load(file).hashOf("carol").orElseThrow();
    assertThat(hash).startsWith("$7$");
    assertThat(PasswordHasher.verify("hunter2".getBytes(StandardCharsets.UTF_8), hash)).isTrue();
    assertThat(PasswordHasher.verify("hunter3".getBytes(StandardCharsets.UTF_8), hash)).isFalse();
  }
}
