package io.inlet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * What another module on the classpath adds to {@code inlet}, found with {@link
 * java.util.ServiceLoader}: the server module adds {@code inlet server} and reads its own config
 * files. The CLI itself knows only the client side (the gRPC API and the password file format).
 */
public interface CliExtension {

  /** Subcommands to add to {@code inlet}, listed before the client commands. */
  List<CommandLine> subcommands();

  /** Whether {@link #passwordFile} can read a server config file. */
  default boolean readsServerConfig() {
    return false;
  }

  /**
   * The password file a server config file names (its {@code password-file} key), empty when it
   * names none.
   *
   * @throws IllegalArgumentException the file cannot be read or is invalid; the message says why
   */
  default Optional<Path> passwordFile(Path configFile) {
    throw new UnsupportedOperationException("reads no server config");
  }
}
