package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.admin.DeleteUserRequest;
import io.inlet.api.admin.ListUsersRequest;
import io.inlet.api.admin.PutUserRequest;
import io.inlet.api.admin.PutUserResponse;
import io.inlet.api.auth.AuthFileException;
import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlet user ...}: manages MQTT users. With {@code --password-file} or {@code --config}, in
 * the password file on this machine (no server needed; a running server re-reads the file within a
 * second); without, in the node's store through the admin API ({@code --server}), where in a
 * cluster every node takes them. The password is hashed here in either case.
 */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description =
        "Manage MQTT users (salted PBKDF2 hashes): in a password file with --password-file or"
            + " --config, else in the node's store (in a cluster, every node's) through --server.",
    subcommands = {UserCommand.Add.class, UserCommand.Delete.class, UserCommand.ListUsers.class})
final class UserCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  /** Where the password file is: --password-file, or the password-file key of --config. */
  static final class FileOptions {
    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "The password file (as given to `inlet server --password-file`). Without it (or"
                + " --config), the users kept in the node --server names (in a cluster, every"
                + " node's).")
    Path passwordFile;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Take the password file from this server config file's password-file key.")
    Path configFile;

    /**
     * True when a password file is named; else the command talks to the node. Naming both a file
     * and a node is refused rather than one of them silently ignored.
     */
    boolean chosenOver(ClientOptions client) {
      boolean given = passwordFile != null || configFile != null;
      if (given && client.serverNamed()) {
        throw new CliException(
            "give either --password-file/--config (the users in a file on this machine) or"
                + " --server (the users kept in the node), not both");
      }
      return given;
    }

    Path resolve() {
      if (passwordFile != null) {
        return passwordFile;
      }
      return passwordFileOf(configFile);
    }
  }

  /** The password-file key of a server config file, read by the server module (if present). */
  static Path passwordFileOf(Path configFile) {
    CliExtension reader =
        InletCli.extensions().stream()
            .filter(CliExtension::readsServerConfig)
            .findFirst()
            .orElseThrow(
                () ->
                    new CliException(
                        "--config needs the Inlet server on the classpath to read "
                            + configFile
                            + "; pass --password-file FILE instead"));
    Optional<Path> fromConfig;
    try {
      fromConfig = reader.passwordFile(configFile);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    return fromConfig.orElseThrow(
        () -> new CliException("config file " + configFile + " sets no password-file"));
  }

  static PasswordFile load(Path file) {
    try {
      return PasswordFile.loadOrEmpty(file);
    } catch (AuthFileException e) {
      throw new CliException(e.getMessage());
    }
  }

  static void save(PasswordFile passwords, Path file) {
    try {
      passwords.save(file);
    } catch (IOException e) {
      throw new CliException("cannot write password file " + file + ": " + e.getMessage(), e);
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add a user, or change the password of an existing one. The password is read from the"
              + " terminal (asked twice), from stdin with --password-stdin, or given with"
              + " --password.")
  static final class Add implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Mixin private FileOptions file;

    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "USERNAME", description = "The MQTT username.")
    private String username;

    @ArgGroup(exclusive = true)
    private PasswordSource source;

    static final class PasswordSource {
      @Option(
          names = "--password",
          paramLabel = "PASSWORD",
          description = "The password (visible to other local users in the process list).")
      String password;

      @Option(
          names = "--password-stdin",
          description = "Read the password from stdin's first line.")
      boolean stdin;
    }

    @Option(
        names = "--iterations",
        paramLabel = "N",
        defaultValue = "" + PasswordHasher.DEFAULT_ITERATIONS,
        description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Override
    public Integer call() {
      try {
        PasswordFile.checkUsername(username);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      if (iterations < 1000) {
        throw new CliException("--iterations must be at least 1000, found: " + iterations);
      }
      char[] password = readPassword();
      try {
        if (password.length == 0) {
          throw new CliException("the password must not be empty");
        }
        if (!file.chosenOver(client)) {
          return addToNode(PasswordHasher.hash(password, iterations));
        }
        Path path = file.resolve();
        PasswordFile passwords = load(path);
        boolean existed = passwords.contains(username);
        save(passwords.with(username, PasswordHasher.hash(password, iterations)), path);
        return added(!existed, "in " + path);
      } finally {
        Arrays.fill(password, '\0');
      }
    }

    private int addToNode(String hash) {
      PutUserResponse answer;
      try (InletClient inlet = client.connect()) {
        answer =
            inlet
                .admin()
                .putUser(
                    PutUserRequest.newBuilder()
                        .setUsername(username)
                        .setPasswordHash(hash)
                        .build());
      }
      return added(answer.getCreated(), "on " + client.server());
    }

    private int added(boolean created, String where) {
      client
          .output()
          .outcome(
              "username",
              username,
              "created",
              created,
              (created ? "added " : "changed the password of ") + username + " " + where);
      return 0;
    }

    private char[] readPassword() {
      if (source != null && source.password != null) {
        return source.password.toCharArray();
      }
      if (source != null && source.stdin) {
        Object root = spec.root().userObject();
        InputStream in = root instanceof InletCli cli ? cli.stdin() : System.in;
        try {
          String line =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
          if (line == null) {
            throw new CliException("--password-stdin: nothing on stdin");
          }
          return line.toCharArray();
        } catch (IOException e) {
          throw new CliException("cannot read stdin: " + e.getMessage(), e);
        }
      }
      Console console = System.console();
      if (console == null) {
        throw new CliException(
            "no terminal to ask for the password: use --password-stdin or --password");
      }
      char[] first = console.readPassword("Password for %s: ", username);
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new CliException("the passwords do not match");
      }
      Arrays.fill(second, '\0');
      return first;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user.")
  static final class Delete implements Callable<Integer> {
    @Mixin private FileOptions file;

    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "USERNAME", description = "The MQTT username.")
    private String username;

    @Override
    public Integer call() {
      if (!file.chosenOver(client)) {
        try (InletClient inlet = client.connect()) {
          inlet.admin().deleteUser(DeleteUserRequest.newBuilder().setUsername(username).build());
        }
        return deleted("on " + client.server());
      }
      Path path = file.resolve();
      PasswordFile passwords = load(path);
      if (!passwords.contains(username)) {
        throw new CliException("user \"" + username + "\" not found in " + path);
      }
      save(passwords.without(username), path);
      return deleted("from " + path);
    }

    private int deleted(String where) {
      client
          .output()
          .outcome("username", username, "deleted", true, "deleted " + username + " " + where);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin private FileOptions file;

    @Mixin private ClientOptions client;

    @Override
    public Integer call() {
      Iterable<String> usernames;
      if (file.chosenOver(client)) {
        usernames = load(file.resolve()).usernames();
      } else {
        try (InletClient inlet = client.connect()) {
          usernames =
              inlet.admin().listUsers(ListUsersRequest.getDefaultInstance()).getUsernamesList();
        }
      }
      Output output = client.output();
      if (output.json()) {
        ArrayNode names = Output.array();
        usernames.forEach(names::add);
        ObjectNode document = Output.object();
        document.set("usernames", names);
        output.document(document);
      } else {
        usernames.forEach(output::line);
      }
      return 0;
    }
  }
}
