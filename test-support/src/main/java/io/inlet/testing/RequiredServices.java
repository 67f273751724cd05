package io.inlet.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one policy for tests that need something outside the JVM (a broker, a database, root, a
 * tool): without it the test is skipped, unless {@code INLET_IT_REQUIRE_SERVICES=true} (as in CI),
 * which turns the skip into a failure.
 */
public final class RequiredServices {
  /** The environment variable that makes a missing service a failure. */
  public static final String VARIABLE = "INLET_IT_REQUIRE_SERVICES";

  private RequiredServices() {}

  /** Whether a missing service fails the test ({@code INLET_IT_REQUIRE_SERVICES=true}). */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv(VARIABLE));
  }

  /**
   * Skips the calling test, or fails it under {@code INLET_IT_REQUIRE_SERVICES=true}; never
   * returns.
   *
   * @param message what is missing and how to get it
   */
  public static RuntimeException missing(String message) {
    if (required()) {
      Assertions.fail(message + " (" + VARIABLE + "=true turns this skip into a failure)");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** {@link #missing} unless {@code available}. */
  public static void require(boolean available, String message) {
    if (!available) {
      missing(message);
    }
  }

  /**
   * {@link #missing} unless every command is an executable file in a directory of {@code PATH}.
   *
   * @param install how to install the commands, e.g. {@code apt-get install mosquitto-clients}
   */
  public static void requireCommands(String install, String... commands) {
    for (String command : commands) {
      require(onPath(command), command + " is not installed (" + install + ")");
    }
  }

  /** Whether {@code command} is an executable file in a directory of {@code PATH}. */
  public static boolean onPath(String command) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
        return true;
      }
    }
    return false;
  }
}
