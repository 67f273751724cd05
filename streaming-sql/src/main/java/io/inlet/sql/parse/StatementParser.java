package io.inlet.sql.parse;

import io.inlet.sql.statement.CreateConnector;
import io.inlet.sql.statement.CreateStream;
import io.inlet.sql.statement.CreateStreamAs;
import io.inlet.sql.statement.CreateView;
import io.inlet.sql.statement.Drop;
import io.inlet.sql.statement.Explain;
import io.inlet.sql.statement.InsertSelect;
import io.inlet.sql.statement.ObjectKind;
import io.inlet.sql.statement.PauseResume;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.Show;
import io.inlet.sql.statement.SqlStatement;
import io.inlet.sql.statement.TerminateQuery;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The statement rules of HStreamDB's SQL (SQL-v1.cf's {@code SQL} entry point). */
final class StatementParser {
  static final String STATEMENT =
      "a statement (SELECT, CREATE, INSERT, SHOW, DROP, TERMINATE, EXPLAIN, PAUSE, RESUME or"
          + " FLINK)";

  private final Cursor in;
  private final ExpressionParser expressions;
  private final SelectParser selects;
  private final String original;

  StatementParser(Cursor in, String original) {
    this.in = in;
    this.expressions = new ExpressionParser(in);
    this.selects = new SelectParser(in, expressions);
    this.original = original;
  }

  /** One statement, its optional final ';', and nothing after it. */
  SqlStatement statementToEnd() throws SqlParseException {
    SqlStatement statement = statement();
    in.acceptSymbol(";");
    if (in.peek().kind() != TokenKind.END) {
      throw in.unexpected("the end of the statement");
    }
    return statement;
  }

  private SqlStatement statement() throws SqlParseException {
    Token first = in.peek();
    String word = first.kind() == TokenKind.WORD ? first.text().toUpperCase(Locale.ROOT) : "";
    return switch (word) {
      case "SELECT" -> select();
      case "CREATE" -> create();
      case "INSERT" -> insert();
      case "SHOW" -> show();
      case "DROP" -> drop();
      case "TERMINATE" -> {
        in.next();
        in.expectWord("QUERY");
        yield new TerminateQuery(in.expectIdentifier("a query name"));
      }
      case "PAUSE", "RESUME" -> {
        in.next();
        ObjectKind kind =
            ObjectKind.valueOf(in.expectOneOf("QUERY or CONNECTOR", "QUERY", "CONNECTOR"));
        String name = in.expectIdentifier("a " + kind.name().toLowerCase(Locale.ROOT) + " name");
        yield new PauseResume(kind, name, word.equals("PAUSE"));
      }
      case "EXPLAIN" -> explain();
      default -> throw in.unexpected(STATEMENT);
    };
  }

  private SqlStatement select() throws SqlParseException {
    SelectAst select = selects.select();
    if (in.atWord("EMIT")) {
      in.next();
      in.expectWord("CHANGES");
      return new PushSelect(FlinkTranslator.continuous(select, original));
    }
    if (in.peek().kind() != TokenKind.END && !in.atSymbol(";")) {
      throw in.unexpected(SelectParser.selectEnd());
    }
    return FlinkTranslator.pull(select, original);
  }

  private SqlStatement explain() throws SqlParseException {
    in.expectWord("EXPLAIN");
    if (in.atWord("SELECT")) {
      SelectAst select = selects.select();
      if (in.acceptWord("EMIT")) {
        in.expectWord("CHANGES");
      }
      return new Explain(new PushSelect(FlinkTranslator.continuous(select, original)));
    }
    if (in.atWord("CREATE")) {
      return new Explain(create());
    }
    throw in.unexpected("SELECT or CREATE");
  }

  private SqlStatement create() throws SqlParseException {
    in.expectWord("CREATE");
    String what =
        in.expectOneOf("STREAM, VIEW, SOURCE or SINK", "STREAM", "VIEW", "SOURCE", "SINK");
    return switch (what) {
      case "STREAM" -> createStream();
      case "VIEW" -> {
        String name = in.expectIdentifier("a view name");
        in.expectWord("AS");
        SelectAst select = selects.select();
        yield new CreateView(name, FlinkTranslator.continuous(select, original));
      }
      default -> createConnector(what.equals("SOURCE"));
    };
  }

  private SqlStatement createStream() throws SqlParseException {
    String name = in.expectIdentifier("a stream name");
    if (in.acceptWord("AS")) {
      SelectAst select = selects.select();
      StreamOptions options = in.atWord("WITH") ? streamOptions() : StreamOptions.DEFAULT;
      if (options.duration().isPresent()) {
        // The grammar allows it; a stream created by a query keeps the default retention.
        throw Cursor.error(
            options.durationAt(),
            "DURATION is not supported on CREATE STREAM ... AS SELECT",
            "REPLICATE");
      }
      return new CreateStreamAs(
          name, FlinkTranslator.continuous(select, original), options.replicate());
    }
    StreamOptions options = in.atWord("WITH") ? streamOptions() : StreamOptions.DEFAULT;
    return new CreateStream(name, options.replicate(), options.duration());
  }

  private record StreamOptions(int replicate, Optional<Duration> duration, Token durationAt) {
    static final StreamOptions DEFAULT = new StreamOptions(1, Optional.empty(), null);
  }

  private StreamOptions streamOptions() throws SqlParseException {
    in.expectWord("WITH");
    in.expectSymbol("(");
    int replicate = 1;
    Optional<Duration> duration = Optional.empty();
    Token durationAt = null;
    do {
      Token at = in.peek();
      String option = in.expectOneOf("REPLICATE or DURATION", "REPLICATE", "DURATION");
      in.expectSymbol("=");
      if (option.equals("REPLICATE")) {
        Token value = in.peek();
        in.acceptSymbol("+");
        long n = in.expectInteger("the replication factor (an integer)");
        if (n < 1 || n > Integer.MAX_VALUE) {
          throw Cursor.error(value, "REPLICATE must be at least 1, found: " + n, "an integer >= 1");
        }
        replicate = (int) n;
      } else {
        durationAt = at;
        SelectAst.Interval interval = expressions.interval();
        duration = Optional.of(Intervals.duration(interval));
      }
    } while (in.acceptSymbol(","));
    in.expectSymbol(")");
    return new StreamOptions(replicate, duration, durationAt);
  }

  private SqlStatement createConnector(boolean source) throws SqlParseException {
    in.expectWord("CONNECTOR");
    String name = in.expectIdentifier("a connector name");
    in.expectWord(source ? "FROM" : "TO");
    String type = in.expectIdentifier("a connector type");
    boolean ifNotExists = false;
    if (in.acceptWord("IF")) {
      in.expectWord("NOT");
      // SQL-v1.cf spells it EXIST; EXISTS is accepted too.
      in.expectOneOf("EXIST", "EXIST", "EXISTS");
      ifNotExists = true;
    }
    in.expectWord("WITH");
    in.expectSymbol("(");
    Map<String, String> options = new LinkedHashMap<>();
    if (!in.atSymbol(")")) {
      do {
        String key = in.expectIdentifier("an option name");
        in.expectSymbol("=");
        Expr value = expressions.expression();
        options.put(key, Constants.text(value));
      } while (in.acceptSymbol(","));
    }
    in.expectSymbol(")");
    return new CreateConnector(name, source, type, options, ifNotExists);
  }

  private SqlStatement insert() throws SqlParseException {
    in.expectWord("INSERT");
    in.expectWord("INTO");
    String stream = in.expectIdentifier("a stream name");
    if (in.atWord("SELECT")) {
      SelectAst select = selects.select();
      return new InsertSelect(stream, FlinkTranslator.continuous(select, original));
    }
    if (in.atSymbol("(")) {
      in.next();
      java.util.List<String> columns = new java.util.ArrayList<>();
      java.util.List<Token> columnTokens = new java.util.ArrayList<>();
      do {
        columnTokens.add(in.peek());
        columns.add(in.expectIdentifier("a column name"));
      } while (in.acceptSymbol(","));
      in.expectSymbol(")");
      in.expectWord("VALUES");
      Token valuesAt = in.expectSymbol("(");
      java.util.List<Expr> values = new java.util.ArrayList<>();
      do {
        values.add(expressions.expression());
      } while (in.acceptSymbol(","));
      in.expectSymbol(")");
      return InsertPayloads.row(stream, columns, columnTokens, values, valuesAt);
    }
    in.expectWord("VALUES");
    Expr value = expressions.expression();
    return InsertPayloads.cast(stream, value);
  }

  private SqlStatement show() throws SqlParseException {
    in.expectWord("SHOW");
    String what =
        in.expectOneOf(
            "QUERIES, STREAMS, VIEWS or CONNECTORS", "QUERIES", "STREAMS", "VIEWS", "CONNECTORS");
    return new Show(
        switch (what) {
          case "QUERIES" -> ObjectKind.QUERY;
          case "STREAMS" -> ObjectKind.STREAM;
          case "VIEWS" -> ObjectKind.VIEW;
          default -> ObjectKind.CONNECTOR;
        });
  }

  private SqlStatement drop() throws SqlParseException {
    in.expectWord("DROP");
    ObjectKind kind =
        ObjectKind.valueOf(
            in.expectOneOf(
                "STREAM, VIEW, QUERY or CONNECTOR", "STREAM", "VIEW", "QUERY", "CONNECTOR"));
    boolean ifExists = false;
    if (in.atWord("IF") && in.peek(1).isWord("EXISTS")) {
      // DROP STREAM IF EXISTS s, as most SQL dialects write it
      in.next();
      in.next();
      ifExists = true;
    }
    String name = in.expectIdentifier("a " + kind.name().toLowerCase(Locale.ROOT) + " name");
    if (!ifExists && in.acceptWord("IF")) {
      in.expectWord("EXISTS");
      ifExists = true;
    }
    return new Drop(kind, name, ifExists);
  }
}
