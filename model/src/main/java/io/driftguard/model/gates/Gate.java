package io.driftguard.model.gates;

import java.util.Locale;
import java.util.Set;

/**
 * One promotion gate, declared as text before training:
 * <pre>
 *   auc min 0.85                          value must be &gt;= 0.85
 *   ece max 0.05                          value must be &lt;= 0.05
 *   auc not_worse_than_champion 0.01      no more than 0.01 worse than the champion's value
 *   slice channel=ONLINE recall min 0.5   the same, on one slice's metrics
 * </pre>
 * "Worse" means lower, except for metrics where lower is better (see {@link #lowerIsBetter(String)}).
 *
 * @param slice {@code column=value}, or null for the overall metrics
 */
public record Gate(String slice, String metric, Kind kind, double threshold) {

  /** How the threshold applies. */
  public enum Kind {
    MIN, MAX, NOT_WORSE_THAN_CHAMPION
  }

  private static final Set<String> LOWER_IS_BETTER_WORDS =
      Set.of("ece", "logloss", "log_loss", "brier", "fpr", "latency", "error", "ms");

  public Gate {
    if (metric == null || !metric.matches("[A-Za-z0-9_.]+")) {
      throw new IllegalArgumentException("gate metric must be a name like auc or p99_latency_ms, was '" + metric + "'");
    }
    if (kind == null) {
      throw new IllegalArgumentException("gate kind must not be null");
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("gate threshold must be a finite number, was " + threshold);
    }
    if (kind == Kind.NOT_WORSE_THAN_CHAMPION && threshold < 0) {
      throw new IllegalArgumentException("not_worse_than_champion tolerance must be >= 0, was " + threshold);
    }
    if (slice != null && !slice.matches("[^=\\s]+=[^=\\s]+")) {
      throw new IllegalArgumentException("gate slice must look like column=value, was '" + slice + "'");
    }
  }

  public static Gate parse(final String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("gate must not be empty");
    }
    final String[] t = text.strip().split("\\s+");
    final int offset;
    final String slice;
    if (t[0].equals("slice")) {
      if (t.length != 5) {
        throw syntax(text);
      }
      slice = t[1];
      offset = 2;
    } else {
      if (t.length != 3) {
        throw syntax(text);
      }
      slice = null;
      offset = 0;
    }
    final Kind kind = switch (t[offset + 1].toLowerCase(Locale.ROOT)) {
      case "min" -> Kind.MIN;
      case "max" -> Kind.MAX;
      case "not_worse_than_champion" -> Kind.NOT_WORSE_THAN_CHAMPION;
      default -> throw new IllegalArgumentException("gate '" + text + "': unknown comparison '" + t[offset + 1]
          + "' (use min, max or not_worse_than_champion)");
    };
    if (slice != null && kind == Kind.NOT_WORSE_THAN_CHAMPION) {
      throw new IllegalArgumentException("gate '" + text + "': slice gates take min or max");
    }
    final double threshold;
    try {
      threshold = Double.parseDouble(t[offset + 2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gate '" + text + "': threshold '" + t[offset + 2] + "' is not a number", e);
    }
    try {
      return new Gate(slice, t[offset], kind, threshold);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gate '" + text + "': " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException syntax(final String text) {
    return new IllegalArgumentException("gate '" + text + "' must look like '<metric> min|max <x>', "
        + "'<metric> not_worse_than_champion <tolerance>' or 'slice <column>=<value> <metric> min|max <x>'");
  }

  /** True for error-like metrics (ece, logloss, brier, fpr, latency, *_ms), where a lower value is better. */
  public static boolean lowerIsBetter(final String metric) {
    for (final String word : metric.toLowerCase(Locale.ROOT).split("[_.]")) {
      if (LOWER_IS_BETTER_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    final String body = metric + " " + kind.name().toLowerCase(Locale.ROOT) + " " + threshold;
    return slice == null ? body : "slice " + slice + " " + body;
  }
}
