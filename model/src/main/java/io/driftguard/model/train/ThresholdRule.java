package io.driftguard.model.train;

import java.util.Arrays;

/**
 * Picks the decision threshold from the mistake budget, on validation scores only (never on test):
 * <ul>
 *   <li>{@code precision >= b}: the lowest threshold whose precision meets b (most recall within budget);</li>
 *   <li>{@code recall >= b}: the highest threshold whose recall meets b (fewest alerts within budget);</li>
 *   <li>{@code fpr <= b}: the lowest threshold whose false-positive rate stays within b.</li>
 * </ul>
 * Candidates are the distinct validation scores; a row is positive when {@code score >= threshold}.
 */
final class ThresholdRule {
  private ThresholdRule() {
  }

  static double choose(final MistakeBudget budget, final double[] scores, final int[] labels) {
    final double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
    double best = Double.NaN;
    double bestAchieved = Double.NaN;
    for (final double t : candidates) {
      final Metrics.Confusion c = Metrics.Confusion.at(scores, labels, t);
      final double value = switch (budget.metric()) {
        case PRECISION -> c.precision();
        case RECALL -> c.recall();
        case FPR -> c.fpr();
      };
      final boolean ok = switch (budget.metric()) {
        case PRECISION, RECALL -> value >= budget.bound();
        case FPR -> value <= budget.bound();
      };
      if (!Double.isNaN(value) && (Double.isNaN(bestAchieved) || better(budget, value, bestAchieved))) {
        bestAchieved = value;
      }
      if (ok) {
        if (budget.metric() == MistakeBudget.Metric.RECALL) {
          best = t;
        } else if (Double.isNaN(best)) {
          best = t;
        }
      }
    }
    if (Double.isNaN(best)) {
      throw new IllegalStateException("mistake budget '" + budget + "' cannot be met on the validation split "
          + "at any threshold (best achievable " + budget.metric().name().toLowerCase() + " " + bestAchieved + ")");
    }
    return best;
  }

  private static boolean better(final MistakeBudget budget, final double a, final double b) {
    return budget.metric() == MistakeBudget.Metric.FPR ? a < b : a > b;
  }
}
