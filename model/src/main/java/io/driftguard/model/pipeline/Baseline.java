package io.driftguard.model.pipeline;

import io.driftguard.model.train.MistakeBudget;
import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * The baseline the report compares the candidate with: the same model as the Trainer's {@code baseline_auc}
 * (L2-regularised logistic regression on standardised inputs, missing values at the training mean, Newton/IRLS, no
 * randomness), refitted here because the Trainer does not hand out its baseline's scores. Its decision threshold is
 * chosen from the same mistake budget on validation scores.
 */
final class Baseline {
  private static final double L2 = 1e-3;
  private static final int MAX_ITER = 25;

  private final double[] means;
  private final double[] stds;
  private final double[] weights;

  private Baseline(final double[] means, final double[] stds, final double[] weights) {
    this.means = means;
    this.stds = stds;
    this.weights = weights;
  }

  static Baseline fit(final double[][] rows, final int[] labels) {
    final int n = rows.length;
    final int d = rows[0].length;
    final double[] means = new double[d];
    final double[] stds = new double[d];
    for (int c = 0; c < d; c++) {
      double sum = 0;
      int k = 0;
      for (final double[] r : rows) {
        if (!Double.isNaN(r[c])) {
          sum += r[c];
          k++;
        }
      }
      means[c] = k == 0 ? 0 : sum / k;
      double ss = 0;
      for (final double[] r : rows) {
        if (!Double.isNaN(r[c])) {
          ss += (r[c] - means[c]) * (r[c] - means[c]);
        }
      }
      final double sd = k == 0 ? 0 : Math.sqrt(ss / k);
      stds[c] = sd > 1e-12 ? sd : 1.0;
    }
    final Baseline shape = new Baseline(means, stds, new double[d + 1]);
    final double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = shape.design(rows[i]);
    }
    final double[] w = new double[d + 1];
    for (int iter = 0; iter < MAX_ITER; iter++) {
      final double[] grad = new double[d + 1];
      final double[][] hess = new double[d + 1][d + 1];
      for (int i = 0; i < n; i++) {
        final double p = sigmoid(dot(w, x[i]));
        final double r = p - labels[i];
        final double s = Math.max(p * (1 - p), 1e-12);
        for (int a = 0; a <= d; a++) {
          grad[a] += r * x[i][a];
          for (int b = 0; b <= a; b++) {
            hess[a][b] += s * x[i][a] * x[i][b];
          }
        }
      }
      for (int a = 0; a <= d; a++) {
        for (int b = 0; b < a; b++) {
          hess[b][a] = hess[a][b];
        }
        // the intercept is not penalised
        grad[a] += a == 0 ? 0 : L2 * n * w[a];
        hess[a][a] += a == 0 ? 1e-9 : L2 * n;
      }
      final RealVector step;
      try {
        step = new LUDecomposition(new Array2DRowRealMatrix(hess, false)).getSolver()
            .solve(new ArrayRealVector(grad, false));
      } catch (SingularMatrixException e) {
        break;
      }
      double maxStep = 0;
      for (int a = 0; a <= d; a++) {
        w[a] -= step.getEntry(a);
        maxStep = Math.max(maxStep, Math.abs(step.getEntry(a)));
      }
      if (maxStep < 1e-8) {
        break;
      }
    }
    return new Baseline(means, stds, w);
  }

  double[] predict(final double[][] rows) {
    final double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = sigmoid(dot(weights, design(rows[i])));
    }
    return out;
  }

  /**
   * The threshold the budget picks on validation scores, by the Trainer's rule; when no threshold meets the budget,
   * the one closest to it (the baseline is a reference, so it is reported rather than refused).
   */
  static double threshold(final MistakeBudget budget, final double[] scores, final int[] labels) {
    final int n = scores.length;
    final Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    final long positives = Arrays.stream(labels).asLongStream().sum();
    final long negatives = n - positives;
    long tp = 0;
    long fp = 0;
    double chosen = Double.NaN;
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
      final boolean ok = budget.metric() == MistakeBudget.Metric.FPR ? value <= budget.bound()
          : value >= budget.bound();
      if (ok && (budget.metric() != MistakeBudget.Metric.RECALL || Double.isNaN(chosen))) {
        chosen = t;
      }
      final double gap = Math.abs(value - budget.bound());
      if (gap < closestGap) {
        closestGap = gap;
        closest = t;
      }
    }
    return Double.isNaN(chosen) ? (Double.isNaN(closest) ? 0.5 : closest) : chosen;
  }

  private double[] design(final double[] row) {
    final double[] x = new double[row.length + 1];
    x[0] = 1.0;
    for (int c = 0; c < row.length; c++) {
      x[c + 1] = Double.isNaN(row[c]) ? 0.0 : (row[c] - means[c]) / stds[c];
    }
    return x;
  }

  private static double dot(final double[] a, final double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double sigmoid(final double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
