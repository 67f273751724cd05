package io.inlet.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code inlet server}: runs a node. (Placeholder: the implementation arrives on the server
 * branch.)
 */
@Command(name = "server", description = "Run an Inlet node.")
public final class ServerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
