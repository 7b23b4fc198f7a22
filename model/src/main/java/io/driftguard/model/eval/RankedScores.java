package io.driftguard.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scored set sorted once by descending score, with tied scores grouped, so every metric (and every bootstrap
 * resample, given as per-row multiplicities) costs O(n) instead of a sort. A weight array {@code w} gives how many
 * times each row counts; {@code null} means once each.
 */
final class RankedScores {
    private final double[] scores;
    private final int[] labels;
    /** Row indices by descending score. */
    private final int[] order;
    /** Exclusive end (in {@link #order}) of each tie group. */
    private final int[] groupEnd;

    RankedScores(final ScoredSet set) {
        final int n = set.size();
        scores = new double[n];
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            scores[i] = set.score(i);
            labels[i] = set.label(i);
        }
        final Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(scores[b], scores[a]));
        order = new int[n];
        final int[] ends = new int[n];
        int groups = 0;
        for (int k = 0; k < n; k++) {
            order[k] = boxed[k];
            if (k > 0 && scores[order[k]] != scores[order[k - 1]]) {
                ends[groups++] = k;
            }
        }
        ends[groups++] = n;
        groupEnd = Arrays.copyOf(ends, groups);
    }

    int size() {
        return scores.length;
    }

    double score(final int i) {
        return scores[i];
    }

    int label(final int i) {
        return labels[i];
    }

    private static int weight(final int[] w, final int i) {
        return w == null ? 1 : w[i];
    }

    /**
     * Probability that a random positive outscores a random negative, ties counting one half (Mann-Whitney U).
     * NaN when either class is absent.
     */
    double rocAuc(final int[] w) {
        double pairs = 0;
        double positivesAbove = 0;
        double negatives = 0;
        int start = 0;
        for (final int end : groupEnd) {
            double pos = 0;
            double neg = 0;
            for (int k = start; k < end; k++) {
                final int i = order[k];
                final int wi = weight(w, i);
                if (labels[i] == 1) {
                    pos += wi;
                } else {
                    neg += wi;
                }
            }
            pairs += neg * positivesAbove + 0.5 * neg * pos;
            positivesAbove += pos;
            negatives += neg;
            start = end;
        }
        if (positivesAbove == 0 || negatives == 0) {
            return Double.NaN;
        }
        return pairs / (positivesAbove * negatives);
    }

    /**
     * Average precision: sum over distinct thresholds of (recall gain) x (precision at that threshold), a tie group
     * being one threshold. NaN when there is no positive.
     */
    double averagePrecision(final int[] w) {
        final double positives = countPositives(w);
        if (positives == 0) {
            return Double.NaN;
        }
        double tp = 0;
        double flagged = 0;
        double ap = 0;
        int start = 0;
        for (final int end : groupEnd) {
            double pos = 0;
            double all = 0;
            for (int k = start; k < end; k++) {
                final int i = order[k];
                final int wi = weight(w, i);
                all += wi;
                pos += labels[i] == 1 ? wi : 0;
            }
            tp += pos;
            flagged += all;
            if (pos > 0) {
                ap += (pos / positives) * (tp / flagged);
            }
            start = end;
        }
        return ap;
    }

    private double countPositives(final int[] w) {
        double positives = 0;
        for (int i = 0; i < labels.length; i++) {
            positives += labels[i] == 1 ? weight(w, i) : 0;
        }
        return positives;
    }

    ConfusionMatrix confusion(final int[] w, final double threshold) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            final int wi = weight(w, i);
            if (scores[i] >= threshold) {
                if (labels[i] == 1) {
                    tp += wi;
                } else {
                    fp += wi;
                }
            } else if (labels[i] == 1) {
                fn += wi;
            } else {
                tn += wi;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** Per-row losses depend only on eps, so bootstrap resamples reuse them instead of taking 2n logs each. */
    private double cachedEps = Double.NaN;
    private double[] cachedLosses;

    double logLoss(final int[] w, final double eps) {
        if (cachedLosses == null || cachedEps != eps) {
            final double[] losses = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                final double p = Math.min(1 - eps, Math.max(eps, scores[i]));
                losses[i] = -(labels[i] == 1 ? Math.log(p) : Math.log(1 - p));
            }
            cachedLosses = losses;
            cachedEps = eps;
        }
        double sum = 0;
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            final int wi = weight(w, i);
            sum += wi * cachedLosses[i];
            total += wi;
        }
        return total == 0 ? Double.NaN : sum / total;
    }

    double brier(final int[] w) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            final int wi = weight(w, i);
            final double d = scores[i] - labels[i];
            sum += wi * d * d;
            total += wi;
        }
        return total == 0 ? Double.NaN : sum / total;
    }

    static int bin(final double score, final int bins) {
        return Math.min(bins - 1, (int) Math.floor(score * bins));
    }

    /**
     * ECE = sum over bins of (rows in bin / rows) x |mean score in bin - positive rate in bin|, with equal-width
     * bins [b/B, (b+1)/B) and the last bin closed at 1.0; empty bins contribute nothing.
     */
    double ece(final int[] w, final int bins) {
        final double[] count = new double[bins];
        final double[] scoreSum = new double[bins];
        final double[] positive = new double[bins];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            final int wi = weight(w, i);
            final int b = bin(scores[i], bins);
            count[b] += wi;
            scoreSum[b] += wi * scores[i];
            positive[b] += wi * labels[i];
            total += wi;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += (count[b] / total) * Math.abs(scoreSum[b] / count[b] - positive[b] / count[b]);
            }
        }
        return ece;
    }

    List<ReliabilityBin> reliability(final int bins) {
        final long[] count = new long[bins];
        final double[] scoreSum = new double[bins];
        final long[] positive = new long[bins];
        for (int i = 0; i < scores.length; i++) {
            final int b = bin(scores[i], bins);
            count[b]++;
            scoreSum[b] += scores[i];
            positive[b] += labels[i];
        }
        final List<ReliabilityBin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            out.add(new ReliabilityBin(b, b / (double) bins, (b + 1) / (double) bins, count[b],
                    count[b] == 0 ? Double.NaN : scoreSum[b] / count[b],
                    count[b] == 0 ? Double.NaN : positive[b] / (double) count[b]));
        }
        return List.copyOf(out);
    }

    /** ROC points from (0, 0) through every distinct threshold; empty when a class is absent. */
    List<CurvePoint> rocCurve() {
        final double positives = countPositives(null);
        final double negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return List.of();
        }
        final List<CurvePoint> out = new ArrayList<>(groupEnd.length + 1);
        out.add(new CurvePoint(0, 0, Double.POSITIVE_INFINITY));
        double tp = 0;
        double fp = 0;
        int start = 0;
        for (final int end : groupEnd) {
            for (int k = start; k < end; k++) {
                if (labels[order[k]] == 1) {
                    tp++;
                } else {
                    fp++;
                }
            }
            out.add(new CurvePoint(fp / negatives, tp / positives, scores[order[start]]));
            start = end;
        }
        return List.copyOf(out);
    }

    /** Precision-recall points at every distinct threshold; empty when there is no positive. */
    List<CurvePoint> prCurve() {
        final double positives = countPositives(null);
        if (positives == 0) {
            return List.of();
        }
        final List<CurvePoint> out = new ArrayList<>(groupEnd.length);
        double tp = 0;
        double flagged = 0;
        int start = 0;
        for (final int end : groupEnd) {
            for (int k = start; k < end; k++) {
                tp += labels[order[k]];
                flagged++;
            }
            out.add(new CurvePoint(tp / positives, tp / flagged, scores[order[start]]));
            start = end;
        }
        return List.copyOf(out);
    }
}
