package io.inlet.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users kept in the store ({@link Authenticator#useStoredUsers}) log in beside the file's. */
class AuthenticatorStoredUsersTest {
  @TempDir Path dir;
  private Authenticator authenticator;

  @AfterEach
  void close() {
    if (authenticator != null) {
      authenticator.close();
    }
  }

  @Test
  void a_stored_user_logs_in_with_its_password_only_and_not_once_it_is_removed() {
    authenticator = Authenticator.start(new Authenticator.Settings(null, null, false));
    assertThat(outcome("carol", "secret")).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);

    authenticator.useStoredUsers(Map.of("carol", hash("secret")));

    assertThat(outcome("carol", "secret")).isEqualTo(AuthResult.Outcome.ACCEPTED);
    assertThat(outcome("carol", "wrong")).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);
    assertThat(outcome("dave", "secret")).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);

    authenticator.useStoredUsers(Map.of("dave", hash("other")));

    assertThat(outcome("carol", "secret"))
        .as("a user removed after a login is refused: the remembered login does not count")
        .isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);
    assertThat(outcome("dave", "other")).isEqualTo(AuthResult.Outcome.ACCEPTED);
  }

  @Test
  void for_a_name_in_the_password_file_too_the_files_password_counts() throws Exception {
    Path passwords = dir.resolve("passwords");
    PasswordFile.empty().with("alice", hash("from-file")).save(passwords);
    authenticator = Authenticator.start(new Authenticator.Settings(passwords, null, false));

    authenticator.useStoredUsers(Map.of("alice", hash("from-store"), "bob", hash("builder")));

    assertThat(outcome("alice", "from-file")).isEqualTo(AuthResult.Outcome.ACCEPTED);
    assertThat(outcome("alice", "from-store")).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);
    assertThat(outcome("bob", "builder")).isEqualTo(AuthResult.Outcome.ACCEPTED);
  }

  private AuthResult.Outcome outcome(String username, String password) {
    return authenticator
        .authenticate(username, password.getBytes(StandardCharsets.UTF_8), null, null)
        .join()
        .outcome();
  }

  private static String hash(String password) {
    return PasswordHasher.hash(password.toCharArray(), 1000);
  }
}
