package io.inlet.sql.shell;

import io.inlet.cli.CliExtension;
import java.util.List;
import picocli.CommandLine;

/**
 * Adds {@code inlet sql} to the {@code inlet} command when this module is on the classpath (as in
 * the distribution); registered in {@code META-INF/services/io.inlet.cli.CliExtension}.
 */
public final class SqlCliExtension implements CliExtension {

  @Override
  public List<CommandLine> subcommands() {
    return List.of(new CommandLine(new SqlCommand()));
  }
}
