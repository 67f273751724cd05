package io.inlet.server;

import io.inlet.api.config.ConfigException;
import io.inlet.cli.CliExtension;
import io.inlet.server.config.ServerConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Adds {@code inlet server} to the {@code inlet} command (registered in {@code
 * META-INF/services/io.inlet.cli.CliExtension}), and reads server config files for {@code inlet
 * user --config}.
 */
public final class ServerCliExtension implements CliExtension {

  @Override
  public List<CommandLine> subcommands() {
    return List.of(ServerCommand.commandLine());
  }

  @Override
  public boolean readsServerConfig() {
    return true;
  }

  @Override
  public Optional<Path> passwordFile(Path configFile) {
    try {
      return Optional.ofNullable(
          ServerConfigLoader.load(Map.of(), configFile).mqtt().auth().passwordFile());
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
