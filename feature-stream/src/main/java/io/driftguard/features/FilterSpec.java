package io.driftguard.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A row filter: {@code field op literal} with op one of {@code == != < <= > >=}, or {@code field in [a, b]}.
 * A null or absent field never matches, whatever the operator, so a missing value cannot count as "not X".
 */
record FilterSpec(String text, FieldPath field, Op op, List<Object> literals, boolean numeric) {

  private static final Pattern GRAMMAR =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(==|!=|<=|>=|<|>|\\bin\\b)\\s*(.+?)\\s*$");

  enum Op {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in");

    private final String symbol;

    Op(final String symbol) {
      this.symbol = symbol;
    }

    static Op of(final String symbol) {
      for (final Op op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown operator '" + symbol + "'");
    }

    boolean ordering() {
      return this == LT || this == LE || this == GT || this == GE;
    }
  }

  FilterSpec {
    literals = List.copyOf(literals);
  }

  /** Parses and type-checks {@code text} against {@code schema}; messages name the filter text. */
  static FilterSpec parse(final String text, final Schema schema) {
    final Matcher m = GRAMMAR.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "filter '" + text + "' is not 'field op literal' (op: == != < <= > >=) or 'field in [a, b]'");
    }
    final FieldPath field = FieldPath.parse(m.group(1));
    final Op op = Op.of(m.group(2));
    final FieldPath.Resolved resolved = field.resolve(schema);
    if (resolved.pii()) {
      throw new IllegalArgumentException("filter '" + text + "': field '" + field + "' is PII and cannot feed features");
    }
    if (!resolved.scalar()) {
      throw new IllegalArgumentException(
          "filter '" + text + "': field '" + field + "' has type " + resolved.type() + ", not a scalar");
    }
    final List<String> raw = new ArrayList<>();
    final String rest = m.group(3).trim();
    if (op == Op.IN) {
      if (!rest.startsWith("[") || !rest.endsWith("]")) {
        throw new IllegalArgumentException("filter '" + text + "': 'in' needs a list like [a, b]");
      }
      for (final String item : rest.substring(1, rest.length() - 1).split(",")) {
        if (!item.isBlank()) {
          raw.add(item.trim());
        }
      }
      if (raw.isEmpty()) {
        throw new IllegalArgumentException("filter '" + text + "': 'in' list is empty");
      }
    } else {
      raw.add(rest);
    }
    if (op.ordering() && !resolved.numeric()) {
      throw new IllegalArgumentException(
          "filter '" + text + "': operator " + op.symbol + " needs a numeric field, '" + field + "' is "
              + resolved.type());
    }
    final List<Object> literals = new ArrayList<>();
    for (final String r : raw) {
      literals.add(literal(text, field, resolved, unquote(r)));
    }
    return new FilterSpec(text.trim(), field, op, literals, resolved.numeric());
  }

  private static String unquote(final String s) {
    if (s.length() >= 2
        && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith("\"") && s.endsWith("\"")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static Object literal(
      final String text, final FieldPath field, final FieldPath.Resolved resolved, final String raw) {
    switch (resolved.type()) {
      case INT, LONG, FLOAT, DOUBLE -> {
        try {
          return Double.parseDouble(raw);
        } catch (final NumberFormatException e) {
          throw new IllegalArgumentException(
              "filter '" + text + "': '" + raw + "' is not a number for numeric field '" + field + "'", e);
        }
      }
      case BOOLEAN -> {
        final String lower = raw.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
          throw new IllegalArgumentException(
              "filter '" + text + "': '" + raw + "' is not true/false for boolean field '" + field + "'");
        }
        return lower;
      }
      case ENUM -> {
        if (!resolved.schema().getEnumSymbols().contains(raw)) {
          throw new IllegalArgumentException("filter '" + text + "': '" + raw + "' is not a symbol of enum '" + field
              + "' " + resolved.schema().getEnumSymbols());
        }
        return raw;
      }
      default -> {
        return raw;
      }
    }
  }

  boolean test(final GenericRecord record) {
    final Object value = field.read(record);
    if (value == null) {
      return false;
    }
    if (numeric) {
      final Double v = FieldPath.asDouble(value);
      if (v == null) {
        return false;
      }
      final double x = v;
      final double lit = (Double) literals.get(0);
      return switch (op) {
        case EQ -> x == lit;
        case NE -> x != lit;
        case LT -> x < lit;
        case LE -> x <= lit;
        case GT -> x > lit;
        case GE -> x >= lit;
        case IN -> literals.stream().anyMatch(l -> ((Double) l) == x);
      };
    }
    final String s = value.toString();
    return switch (op) {
      case EQ -> s.equals(literals.get(0));
      case NE -> !s.equals(literals.get(0));
      case IN -> literals.contains(s);
      default -> throw new IllegalStateException("ordering operator on non-numeric filter " + text);
    };
  }
}
