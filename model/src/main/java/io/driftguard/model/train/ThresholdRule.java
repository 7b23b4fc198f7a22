package io.driftguard.model.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Picks the decision threshold from the mistake budget, on validation scores only (never on test):
 * <ul>
 *   <li>{@code precision >= b}: the lowest threshold whose precision meets b (most recall within budget);</li>
 *   <li>{@code recall >= b}: the highest threshold whose recall meets b (fewest alerts within budget);</li>
 *   <li>{@code fpr <= b}: the lowest threshold whose false-positive rate stays within b.</li>
 * </ul>
 * Candidates are the distinct validation scores; a row is positive when {@code score >= threshold}.
 * One sweep from the highest score down, O(n log n), so large validation splits stay cheap.
 */
final class ThresholdRule {
  private ThresholdRule() {
  }

  static double choose(final MistakeBudget budget, final double[] scores, final int[] labels) {
    final Sweep sweep = sweep(budget, scores, labels);
    if (Double.isNaN(sweep.chosen())) {
      throw new IllegalStateException("mistake budget '" + budget + "' cannot be met on the validation split "
          + "at any threshold (best achievable " + budget.metric().name().toLowerCase(Locale.ROOT) + " "
          + sweep.bestAchieved() + ")");
    }
    return sweep.chosen();
  }

  /**
   * Like {@link #choose}, but when no threshold meets the budget, the one whose metric is closest to the bound
   * (0.5 when the metric is undefined everywhere): for a reference model, which is reported rather than refused.
   */
  static double chooseOrClosest(final MistakeBudget budget, final double[] scores, final int[] labels) {
    final Sweep sweep = sweep(budget, scores, labels);
    if (!Double.isNaN(sweep.chosen())) {
      return sweep.chosen();
    }
    return Double.isNaN(sweep.closest()) ? 0.5 : sweep.closest();
  }

  private record Sweep(double chosen, double bestAchieved, double closest) {
  }

  private static Sweep sweep(final MistakeBudget budget, final double[] scores, final int[] labels) {
    final int n = scores.length;
    final Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    long positives = 0;
    for (final int y : labels) {
      positives += y;
    }
    final long negatives = n - positives;
    long tp = 0;
    long fp = 0;
    double chosen = Double.NaN;
    double bestAchieved = Double.NaN;
    double closest = Double.NaN;
    double closestGap = Double.POSITIVE_INFINITY;
    int i = 0;
    while (i < n) {
      final double t = scores[order[i]];
      while (i < n && scores[order[i]] == t) {
        if (labels[order[i]] == 1) {
          tp++;
        } else {
          fp++;
        }
        i++;
      }
      final double value = switch (budget.metric()) {
        case PRECISION -> (double) tp / (tp + fp);
        case RECALL -> positives == 0 ? Double.NaN : (double) tp / positives;
        case FPR -> negatives == 0 ? Double.NaN : (double) fp / negatives;
      };
      if (Double.isNaN(value)) {
        continue;
      }
      if (Double.isNaN(bestAchieved) || better(budget, value, bestAchieved)) {
        bestAchieved = value;
      }
      final boolean ok = budget.metric() == MistakeBudget.Metric.FPR ? value <= budget.bound()
          : value >= budget.bound();
      // sweeping downwards: the last ok threshold is the lowest one, the first ok one the highest
      if (ok && (budget.metric() != MistakeBudget.Metric.RECALL || Double.isNaN(chosen))) {
        chosen = t;
      }
      final double gap = Math.abs(value - budget.bound());
      if (gap < closestGap) {
        closestGap = gap;
        closest = t;
      }
    }
    return new Sweep(chosen, bestAchieved, closest);
  }

  private static boolean better(final MistakeBudget budget, final double a, final double b) {
    return budget.metric() == MistakeBudget.Metric.FPR ? a < b : a > b;
  }
}
