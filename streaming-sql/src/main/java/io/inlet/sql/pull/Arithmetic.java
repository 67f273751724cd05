package io.inlet.sql.pull;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * {@code + - * / %} and unary minus on numbers. Two integers give an integer ({@code 7 / 2} is 3,
 * as in Flink); an integer overflow or an integer division by zero is an error (Flink fails the job
 * for the latter). With a DOUBLE operand the result is a DOUBLE (IEEE rules: {@code 1.0e0 / 0} is
 * Infinity); otherwise with a DECIMAL operand it is a DECIMAL (34 significant digits for a
 * quotient). NULL in, NULL out.
 */
final class Arithmetic {
  private Arithmetic() {}

  static Number apply(String op, Number a, Number b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      return integers(op, x, y);
    }
    if (a instanceof Double || b instanceof Double) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      return switch (op) {
        case "+" -> x + y;
        case "-" -> x - y;
        case "*" -> x * y;
        case "/" -> x / y;
        default -> x % y;
      };
    }
    BigDecimal x = decimal(a);
    BigDecimal y = decimal(b);
    if ((op.equals("/") || op.equals("%")) && y.signum() == 0) {
      throw new PullEvaluationException("division by zero: " + x + " " + op + " 0");
    }
    return switch (op) {
      case "+" -> x.add(y);
      case "-" -> x.subtract(y);
      case "*" -> x.multiply(y);
      case "/" -> x.divide(y, MathContext.DECIMAL128);
      default -> x.remainder(y);
    };
  }

  private static Long integers(String op, long x, long y) {
    try {
      return switch (op) {
        case "+" -> Math.addExact(x, y);
        case "-" -> Math.subtractExact(x, y);
        case "*" -> Math.multiplyExact(x, y);
        case "/" -> {
          if (y == 0) {
            throw new PullEvaluationException("division by zero: " + x + " / 0");
          }
          yield x == Long.MIN_VALUE && y == -1 ? Math.negateExact(x) : x / y;
        }
        default -> {
          if (y == 0) {
            throw new PullEvaluationException("division by zero: " + x + " % 0");
          }
          yield x % y;
        }
      };
    } catch (ArithmeticException e) {
      throw new PullEvaluationException("BIGINT overflow: " + x + " " + op + " " + y);
    }
  }

  static Number negate(Number a) {
    if (a == null) {
      return null;
    }
    if (a instanceof Long x) {
      if (x == Long.MIN_VALUE) {
        throw new PullEvaluationException("BIGINT overflow: -(" + x + ")");
      }
      return -x;
    }
    if (a instanceof Double x) {
      return -x;
    }
    return decimal(a).negate();
  }

  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    return BigDecimal.valueOf(n.doubleValue());
  }
}
