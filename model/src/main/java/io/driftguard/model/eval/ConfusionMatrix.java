package io.driftguard.model.eval;

/**
 * Counts at one threshold; a row is flagged (predicted positive) when its score is {@code >=} the threshold.
 * Ratios whose denominator is zero are {@code NaN} (undefined), never silently 0.
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {
    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("confusion counts must be >= 0, were tp=" + tp + " fp=" + fp + " tn="
                    + tn + " fn=" + fn);
        }
    }

    public long n() {
        return tp + fp + tn + fn;
    }

    public long positives() {
        return tp + fn;
    }

    public long flagged() {
        return tp + fp;
    }

    /** tp / (tp + fp); NaN when nothing is flagged. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** tp / (tp + fn); NaN when there are no positives. */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** 2tp / (2tp + fp + fn): the harmonic mean of precision and recall; NaN only when it has no terms. */
    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** fp / (fp + tn); NaN when there are no negatives. */
    public double falsePositiveRate() {
        return ratio(fp, fp + tn);
    }

    public double flaggedRate() {
        return ratio(tp + fp, n());
    }

    private static double ratio(final double num, final double den) {
        return den == 0 ? Double.NaN : num / den;
    }
}
