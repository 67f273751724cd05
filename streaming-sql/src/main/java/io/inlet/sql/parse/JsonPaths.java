package io.inlet.sql.parse;

import io.inlet.sql.parse.Expr.LiteralKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns chains of {@code ->}, {@code ->>}, {@code #>}, {@code #>>} into one SQL/JSON path over the
 * JSON text they start from: {@code p -> 'a' ->> 'b'} is {@code JSON_VALUE(p, '$.a.b')}.
 */
final class JsonPaths {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * @param base the expression holding JSON text
   * @param path the SQL/JSON path, from {@code $}
   * @param text whether the last step asks for text ({@code ->>}, {@code #>>})
   */
  record Chain(Expr base, String path, boolean text) {}

  private JsonPaths() {}

  static Chain chain(Expr.JsonAccess access) throws SqlParseException {
    List<String> steps = new ArrayList<>();
    Expr base = collect(access, steps);
    return new Chain(base, "$" + String.join("", steps), access.op().endsWith(">>"));
  }

  private static Expr collect(Expr.JsonAccess access, List<String> steps) throws SqlParseException {
    Expr base = access.value();
    if (base instanceof Expr.JsonAccess inner) {
      base = collect(inner, steps);
    } else if (base instanceof Expr.ArrayAccess array
        && !array.slice()
        && !(array.value() instanceof Expr.Call)) {
      if (array.value() instanceof Expr.JsonAccess inner) {
        base = collect(inner, steps);
      } else {
        base = array.value();
      }
      steps.add("[" + array.from() + "]");
    }
    if (access.op().startsWith("#")) {
      for (String element : pathElements(access.key())) {
        steps.add(step(element));
      }
    } else if (access.key() instanceof Expr.Literal literal
        && literal.kind() == LiteralKind.INTEGER
        && !literal.value().startsWith("-")) {
      steps.add("[" + literal.value() + "]");
    } else if (access.key() instanceof Expr.Literal literal
        && literal.kind() == LiteralKind.STRING) {
      steps.add(key(literal.value()));
    } else {
      throw Cursor.error(
          access.key().at(),
          "the key after " + access.op() + " must be a constant",
          "a 'field name' or an array index");
    }
    return base;
  }

  /** {@code #>}'s path: {@code '{a,b,0}'} or {@code {'a', 'b', 0}}. */
  private static List<String> pathElements(Expr key) throws SqlParseException {
    List<String> elements = new ArrayList<>();
    if (key instanceof Expr.Literal literal && literal.kind() == LiteralKind.STRING) {
      String text = literal.value().strip();
      if (text.startsWith("{") && text.endsWith("}")) {
        text = text.substring(1, text.length() - 1);
      }
      for (String part : text.split(",")) {
        elements.add(part.strip());
      }
    } else if (key instanceof Expr.ArrayLiteral array) {
      for (Expr element : array.elements()) {
        if (element instanceof Expr.Literal literal
            && (literal.kind() == LiteralKind.STRING || literal.kind() == LiteralKind.INTEGER)) {
          elements.add(literal.value());
        } else {
          throw Cursor.error(element.at(), "a path element must be a constant", "'key' or 0");
        }
      }
    } else {
      throw Cursor.error(key.at(), "a JSON path must be a constant", "'{key,key,...}'");
    }
    if (elements.isEmpty() || elements.contains("")) {
      throw Cursor.error(key.at(), "empty JSON path element", "'{key,key,...}'");
    }
    return elements;
  }

  private static String step(String element) {
    return element.chars().allMatch(Character::isDigit) ? "[" + element + "]" : key(element);
  }

  private static String key(String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return "." + key;
    }
    return "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }
}
