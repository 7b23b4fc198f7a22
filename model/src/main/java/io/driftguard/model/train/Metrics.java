package io.driftguard.model.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The few metrics training itself needs (threshold choice, the manifest's metric map). The full
 * evaluation report with confidence intervals lives in {@code io.driftguard.model.eval}.
 */
final class Metrics {
  private static final double LOG_EPS = 1e-15;

  private Metrics() {
  }

  /** ROC-AUC by the rank-sum statistic with average ranks for ties; NaN when one class is absent. */
  static double auc(final double[] scores, final int[] labels) {
    final int n = scores.length;
    final Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      final double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    final long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  static double logLoss(final double[] scores, final int[] labels) {
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      final double p = Math.min(1 - LOG_EPS, Math.max(LOG_EPS, scores[i]));
      sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / scores.length;
  }

  static double brier(final double[] scores, final int[] labels) {
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      final double d = scores[i] - labels[i];
      sum += d * d;
    }
    return sum / scores.length;
  }

  /** Expected calibration error over 10 equal-width bins (a score of 1.0 falls in the last bin). */
  static double ece(final double[] scores, final int[] labels) {
    final int bins = 10;
    final double[] sumScore = new double[bins];
    final double[] sumLabel = new double[bins];
    final int[] count = new int[bins];
    for (int i = 0; i < scores.length; i++) {
      final int b = Math.min(bins - 1, (int) Math.floor(scores[i] * bins));
      sumScore[b] += scores[i];
      sumLabel[b] += labels[i];
      count[b]++;
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        ece += Math.abs(sumScore[b] - sumLabel[b]) / scores.length;
      }
    }
    return ece;
  }

  /** Confusion counts when {@code score >= threshold} means positive. */
  record Confusion(long tp, long fp, long tn, long fn) {
    static Confusion at(final double[] scores, final int[] labels, final double threshold) {
      long tp = 0;
      long fp = 0;
      long tn = 0;
      long fn = 0;
      for (int i = 0; i < scores.length; i++) {
        final boolean flagged = scores[i] >= threshold;
        if (labels[i] == 1) {
          if (flagged) {
            tp++;
          } else {
            fn++;
          }
        } else if (flagged) {
          fp++;
        } else {
          tn++;
        }
      }
      return new Confusion(tp, fp, tn, fn);
    }

    double precision() {
      return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    double fpr() {
      return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
    }

    double flaggedRate() {
      return (double) (tp + fp) / (tp + fp + tn + fn);
    }
  }
}
