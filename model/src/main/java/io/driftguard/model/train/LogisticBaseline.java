package io.driftguard.model.train;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * The baseline every XGBoost candidate is compared with: L2-regularised logistic regression on
 * standardised inputs, missing values replaced by the training mean, fitted by Newton's method (IRLS).
 * Deterministic: no randomness, fixed iteration order. Public so the training pipeline's report scores the very
 * baseline behind the Trainer's {@code baseline_auc} rather than a copy of it.
 */
public final class LogisticBaseline {
  private static final double L2 = 1e-3;
  private static final int MAX_ITER = 25;

  private final double[] means;
  private final double[] stds;
  private final double[] weights;

  private LogisticBaseline(final double[] means, final double[] stds, final double[] weights) {
    this.means = means;
    this.stds = stds;
    this.weights = weights;
  }

  /**
   * @param rows training rows, NaN for a missing value
   * @param labels 0/1 per row
   * @throws IllegalArgumentException when there are no rows or rows and labels differ in length
   */
  public static LogisticBaseline fit(final double[][] rows, final int[] labels) {
    if (rows == null || labels == null || rows.length == 0 || rows.length != labels.length) {
      throw new IllegalArgumentException("baseline needs at least one row and one label per row; got "
          + (rows == null ? "null" : rows.length) + " rows and " + (labels == null ? "null" : labels.length)
          + " labels");
    }
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
    final LogisticBaseline shape = new LogisticBaseline(means, stds, new double[d + 1]);
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
        final double penalty = a == 0 ? 1e-9 : L2 * n;
        grad[a] += a == 0 ? 0 : L2 * n * w[a];
        hess[a][a] += penalty;
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
    return new LogisticBaseline(means, stds, w);
  }

  /** Probability of the positive class for each row. */
  public double[] predict(final double[][] rows) {
    final double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = sigmoid(dot(weights, design(rows[i])));
    }
    return out;
  }

  /**
   * The decision threshold the mistake budget picks on validation scores, by the Trainer's rule; when no threshold
   * meets the budget, the one closest to it (the baseline is a reference, so it is reported rather than refused).
   */
  public static double threshold(final MistakeBudget budget, final double[] validationScores,
      final int[] validationLabels) {
    return ThresholdRule.chooseOrClosest(budget, validationScores, validationLabels);
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
