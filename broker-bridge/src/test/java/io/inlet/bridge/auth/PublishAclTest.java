package io.inlet.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.auth.AuthFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishAclTest {
  @TempDir Path dir;

  private PublishAcl acl(String text) throws Exception {
    Path file = dir.resolve("acl");
    Files.writeString(file, text);
    return PublishAcl.load(file);
  }

  @Test
  void users_get_their_entries_and_anonymous_clients_the_leading_ones() throws Exception {
    PublishAcl acl =
        acl(
            """
            # anonymous
            topic write public/#
            user alice
            topic sensors/alice/#
            topic deny sensors/alice/secret
            topic read commands/#
            user bob
            topic readwrite sensors/bob/+
            pattern write devices/%c/#
            pattern write users/%u/#
            """);
    Identity alice = Identity.verified("alice");
    Identity bob = Identity.verified("bob");
    Identity anon = Identity.ANONYMOUS;

    assertThat(acl.mayPublish(alice, "c1", "sensors/alice/t")).isTrue();
    assertThat(acl.mayPublish(alice, "c1", "sensors/alice/secret")).isFalse();
    assertThat(acl.mayPublish(alice, "c1", "commands/x")).as("read only").isFalse();
    assertThat(acl.mayPublish(alice, "c1", "public/x")).as("anonymous entries").isFalse();
    assertThat(acl.mayPublish(bob, "c2", "sensors/bob/t")).isTrue();
    assertThat(acl.mayPublish(bob, "c2", "sensors/alice/t")).isFalse();
    assertThat(acl.mayPublish(anon, "c3", "public/x")).isTrue();
    assertThat(acl.mayPublish(anon, "alice", "sensors/alice/t")).isFalse();
    assertThat(acl.mayPublish(bob, "dev7", "devices/dev7/temp")).isTrue();
    assertThat(acl.mayPublish(bob, "dev7", "devices/dev8/temp")).isFalse();
    assertThat(acl.mayPublish(bob, "c2", "users/bob/x")).isTrue();
    assertThat(acl.mayPublish(bob, "a/b", "devices/a/b/x")).as("%c must be one level").isFalse();
    assertThat(acl.mayPublish(bob, "#", "devices/x/y")).as("%c is never a wildcard").isFalse();
  }

  @Test
  void anonymous_clients_get_no_substitution_but_patterns_without_one() throws Exception {
    PublishAcl acl =
        acl(
            """
            pattern write devices/%c/#
            pattern write users/%u/#
            pattern write common/#
            """);
    Identity anon = Identity.ANONYMOUS;

    assertThat(acl.mayPublish(anon, "dev7", "devices/dev7/temp"))
        .as("a client id proves nothing about an anonymous client")
        .isFalse();
    assertThat(acl.mayPublish(anon, "alice", "users/alice/x")).isFalse();
    assertThat(acl.mayPublish(anon, "c2", "users/null/x")).isFalse();
    assertThat(acl.mayPublish(anon, "c2", "common/x")).isTrue();
    assertThat(acl.mayPublish(Identity.verified("alice"), "dev7", "devices/dev7/temp")).isTrue();
  }

  @Test
  void without_a_file_everything_is_allowed() {
    assertThat(PublishAcl.ALLOW_ALL.mayPublish(Identity.ANONYMOUS, "c", "any/topic")).isTrue();
  }

  @Test
  void bad_lines_name_the_file_and_line() throws Exception {
    assertThatThrownBy(() -> acl("user alice\ntopic write a/#/b\n"))
        .isInstanceOf(AuthFileException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("invalid topic filter");
    assertThatThrownBy(() -> acl("topics a\n"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("expected user, topic or pattern");
    assertThatThrownBy(() -> acl("topic sometimes a/b\n")).hasMessageContaining("access must be");
  }
}
