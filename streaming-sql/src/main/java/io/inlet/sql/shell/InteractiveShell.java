package io.inlet.sql.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive {@code inlet sql}: JLine line editing, history kept in a file, statements over
 * several lines until {@code ;}. Ctrl-C stops a running push query (or clears the line being
 * typed); Ctrl-D or {@code quit} leaves.
 */
final class InteractiveShell {
  private static final String PROMPT = "inlet> ";
  private static final String CONTINUATION = "    -> ";

  private final SqlShell shell;
  private final Path history;
  private final InputStream in;

  InteractiveShell(SqlShell shell, Path history, InputStream in) {
    this.shell = shell;
    this.history = history;
    this.in = in;
  }

  int run() {
    try (Terminal terminal = terminal()) {
      terminal.handle(
          Terminal.Signal.INT,
          // While a line is read, the reader takes Ctrl-C itself (it clears the line).
          signal -> shell.interrupt());
      DefaultParser parser = new DefaultParser();
      parser.setEscapeChars(new char[0]);
      LineReader reader =
          LineReaderBuilder.builder()
              .appName("inlet sql")
              .terminal(terminal)
              .parser(parser)
              .variable(LineReader.HISTORY_FILE, history)
              .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
              .build();
      PrintWriter out = terminal.writer();
      out.println(
          "Inlet SQL shell: statements end with ';'. help; for help, quit; or Ctrl-D to"
              + " leave.");
      out.flush();
      StatementSplitter splitter = new StatementSplitter();
      while (true) {
        String line;
        try {
          line = reader.readLine(splitter.hasPending() ? CONTINUATION : PROMPT);
        } catch (UserInterruptException e) {
          splitter.drain();
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        if (!splitter.hasPending()) {
          String command = SqlShell.shellCommand(line);
          if ("quit".equals(command)) {
            return 0;
          }
          if ("help".equals(command)) {
            out.println(ShellArguments.USAGE);
            out.flush();
            continue;
          }
        }
        for (String statement : splitter.feedLine(line)) {
          shell.execute(statement);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal", e);
    }
  }

  private Terminal terminal() throws IOException {
    if (in == System.in) {
      // dumb(true): piped input gets a plain terminal without a warning
      return TerminalBuilder.builder().name("inlet sql").system(true).dumb(true).build();
    }
    return TerminalBuilder.builder()
        .name("inlet sql")
        .system(false)
        .dumb(true)
        .streams(in, System.out)
        .build();
  }
}
