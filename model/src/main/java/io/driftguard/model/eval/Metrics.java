package io.driftguard.model.eval;

import java.util.OptionalDouble;

/** Point metrics on plain arrays, for callers that need one number (e.g. promotion gates) without a report. */
public final class Metrics {
    private Metrics() {
    }

    private static RankedScores ranked(final double[] scores, final int[] labels) {
        return new RankedScores(new ScoredSet("metrics", scores, labels));
    }

    /** Confusion counts, flagging scores {@code >=} threshold. */
    public static ConfusionMatrix confusion(final double[] scores, final int[] labels, final double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
        }
        return ranked(scores, labels).confusion(null, threshold);
    }

    /** ROC-AUC with ties counted one half; empty when only one class is present. */
    public static OptionalDouble rocAuc(final double[] scores, final int[] labels) {
        return optional(ranked(scores, labels).rocAuc(null));
    }

    /** Average precision (PR-AUC); empty when there is no positive. */
    public static OptionalDouble averagePrecision(final double[] scores, final int[] labels) {
        return optional(ranked(scores, labels).averagePrecision(null));
    }

    /** Mean log loss with probabilities clipped to [eps, 1 - eps]. */
    public static double logLoss(final double[] scores, final int[] labels, final double eps) {
        if (!(eps > 0 && eps < 0.5)) {
            throw new IllegalArgumentException("eps must be in (0, 0.5), was " + eps);
        }
        return ranked(scores, labels).logLoss(null, eps);
    }

    /** Mean squared difference between score and label. */
    public static double brier(final double[] scores, final int[] labels) {
        return ranked(scores, labels).brier(null);
    }

    /** Expected calibration error over {@code bins} equal-width bins (see {@link Metric#ECE}). */
    public static double expectedCalibrationError(final double[] scores, final int[] labels, final int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, was " + bins);
        }
        return ranked(scores, labels).ece(null, bins);
    }

    private static OptionalDouble optional(final double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
