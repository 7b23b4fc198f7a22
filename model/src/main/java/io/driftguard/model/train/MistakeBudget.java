package io.driftguard.model.train;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mistake budget that picks the decision threshold on the validation split, e.g.
 * {@code precision >= 0.9}, {@code recall >= 0.8} or {@code fpr <= 0.01}.
 */
public record MistakeBudget(Metric metric, double bound) {
  private static final Pattern SYNTAX =
      Pattern.compile("\\s*(precision|recall|fpr)\\s*(>=|<=)\\s*([0-9]*\\.?[0-9]+)\\s*");

  /** The metric the budget bounds and the only direction that makes sense for it. */
  public enum Metric {
    PRECISION(">="),
    RECALL(">="),
    FPR("<=");

    private final String operator;

    Metric(final String operator) {
      this.operator = operator;
    }

    public String operator() {
      return operator;
    }
  }

  public MistakeBudget {
    if (metric == null) {
      throw new IllegalArgumentException("mistake budget metric must not be null");
    }
    if (!(bound >= 0.0 && bound <= 1.0)) {
      throw new IllegalArgumentException("mistake budget bound must be in [0,1], was " + bound);
    }
  }

  public static MistakeBudget parse(final String text) {
    final Matcher m = SYNTAX.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("compact.mistakeBudget '" + text
          + "' must look like 'precision >= 0.9', 'recall >= 0.8' or 'fpr <= 0.01'");
    }
    final Metric metric = Metric.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    if (!metric.operator().equals(m.group(2))) {
      throw new IllegalArgumentException("compact.mistakeBudget '" + text + "': " + m.group(1)
          + " must be bounded with " + metric.operator());
    }
    return new MistakeBudget(metric, Double.parseDouble(m.group(3)));
  }

  @Override
  public String toString() {
    return metric.name().toLowerCase(Locale.ROOT) + " " + metric.operator() + " " + bound;
  }
}
