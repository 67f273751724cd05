package io.inlet.sql.shell;

import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.cli.ClientOptions;
import io.inlet.cli.InletClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code inlet sql}: the SQL shell of {@code io.inlet.sql.shell}, connected with the client options
 * every command shares; its own arguments ({@code -e}, {@code -f}, {@code --history}, {@code -h})
 * go to the shell.
 */
@Command(
    name = "sql",
    description = {
      "Run HStreamDB SQL: an interactive shell, or -e SQL / -f FILE (inlet sql -h; docs/sql.md)."
    })
final class SqlCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ClientOptions client;

  @Unmatched private List<String> shellArguments = new ArrayList<>();

  @Override
  public Integer call() {
    try (InletClient inlet = client.connect()) {
      SqlConnection connection =
          new SqlConnection() {
            @Override
            public HStreamApiGrpc.HStreamApiBlockingStub unary() {
              return inlet.unary();
            }

            @Override
            public HStreamApiGrpc.HStreamApiStub async() {
              return inlet.async();
            }
          };
      return SqlShell.run(
          shellArguments,
          connection,
          client.stdin(),
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
