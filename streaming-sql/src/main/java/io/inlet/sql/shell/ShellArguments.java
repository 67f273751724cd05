package io.inlet.sql.shell;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code inlet sql} was asked to do: run statements given with {@code -e}, a file with {@code
 * -f}, or read them interactively.
 *
 * @param execute the statements of {@code -e}, or null
 * @param file the script of {@code -f}, or null
 * @param history where the interactive shell keeps its history
 */
record ShellArguments(String execute, Path file, Path history, boolean help) {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: inlet sql [-s HOST:PORT] [-e SQL | -f FILE] [--history FILE]",
          "Runs HStreamDB SQL statements against an Inlet node (docs/sql.md).",
          "  -e, --execute SQL   run these statements (separated by ';') and exit",
          "  -f, --file FILE     run the statements of FILE and exit",
          "      --history FILE  the interactive shell's history (default: ~/.inlet_sql_history)",
          "  -h, --help          show this help",
          "Without -e or -f: an interactive shell. A statement ends with ';'. A push query",
          "(SELECT ... EMIT CHANGES) prints its results until Ctrl-C. SET dialect = flink;",
          "sends the following statements as Flink SQL; SET dialect = hstream; goes back.");

  static ShellArguments parse(List<String> args) throws IllegalArgumentException {
    String execute = null;
    Path file = null;
    Path history = Path.of(System.getProperty("user.home"), ".inlet_sql_history");
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-e", "--execute" -> execute = value(args, ++i, arg);
        case "-f", "--file" -> file = Path.of(value(args, ++i, arg));
        case "--history" -> history = Path.of(value(args, ++i, arg));
        case "-h", "--help" -> help = true;
        default -> {
          if (arg.startsWith("--execute=")) {
            execute = arg.substring("--execute=".length());
          } else if (arg.startsWith("--file=")) {
            file = Path.of(arg.substring("--file=".length()));
          } else {
            throw new IllegalArgumentException("unknown argument: " + arg);
          }
        }
      }
    }
    if (execute != null && file != null) {
      throw new IllegalArgumentException("give -e or -f, not both");
    }
    return new ShellArguments(execute, file, history, help);
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(index);
  }

  boolean interactive() {
    return execute == null && file == null;
  }
}
