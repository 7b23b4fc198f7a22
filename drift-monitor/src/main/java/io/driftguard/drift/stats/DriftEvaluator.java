package io.driftguard.drift.stats;

import java.util.List;

/** Computes every applicable statistic of a window against a reference and grades it against the thresholds. */
public final class DriftEvaluator {

    private final DriftThresholds thresholds;

    public DriftEvaluator(final DriftThresholds thresholds) {
        if (thresholds == null) {
            throw new IllegalArgumentException("thresholds: must not be null");
        }
        this.thresholds = thresholds;
    }

    public DriftThresholds thresholds() {
        return thresholds;
    }

    /** PSI, JS, KS, Wasserstein and null-rate verdicts of a numeric window, in that order. */
    public List<StatisticVerdict> evaluate(final NumericReference reference, final NumericWindowState window) {
        if (reference == null || window == null) {
            throw new IllegalArgumentException((reference == null ? "reference" : "window") + ": must not be null");
        }
        return List.of(
                grade(Statistic.PSI, window.count(), () -> DriftStatistics.psi(reference.bins(),
                        window.binCounts(), thresholds.epsilon())),
                grade(Statistic.JS_DISTANCE, window.count(), () -> DriftStatistics.jsDistance(reference.bins(),
                        window)),
                grade(Statistic.KS, Math.min(window.count(), reference.distribution().count()),
                        () -> DriftStatistics.ks(reference.distribution(), window).conservativePValue()),
                grade(Statistic.WASSERSTEIN, window.count(), () -> DriftStatistics.wasserstein(
                        reference.distribution(), window, reference.std())),
                nullRate(reference.nullRate(), window.nullRate(), window.totalCount()));
    }

    /** Chi-square and null-rate verdicts of a categorical window. */
    public List<StatisticVerdict> evaluate(final CategoricalReference reference, final CategoricalWindowState window) {
        if (reference == null || window == null) {
            throw new IllegalArgumentException((reference == null ? "reference" : "window") + ": must not be null");
        }
        return List.of(
                grade(Statistic.CHI_SQUARE, window.count(),
                        () -> DriftStatistics.chiSquare(reference, window, thresholds.epsilon()).pValue()),
                nullRate(reference.nullRate(), window.nullRate(), window.totalCount()));
    }

    /** The raw value of one numeric statistic (KS: conservative p-value) ignoring the minimum sample size. */
    double value(final Statistic statistic, final NumericReference reference, final NumericWindowState window) {
        return switch (statistic) {
            case PSI -> DriftStatistics.psi(reference.bins(), window.binCounts(), thresholds.epsilon());
            case JS_DISTANCE -> DriftStatistics.jsDistance(reference.bins(), window);
            case KS -> DriftStatistics.ks(reference.distribution(), window).conservativePValue();
            case WASSERSTEIN -> DriftStatistics.wasserstein(reference.distribution(), window, reference.std());
            case NULL_RATE_DIFF -> Math.abs(DriftStatistics.nullRateDifference(reference.nullRate(),
                    window.nullRate()));
            case CHI_SQUARE -> throw new IllegalArgumentException("statistic: chi2 applies to categorical windows");
        };
    }

    private StatisticVerdict nullRate(final double referenceRate, final double windowRate, final long total) {
        return grade(Statistic.NULL_RATE_DIFF, total,
                () -> Math.abs(DriftStatistics.nullRateDifference(referenceRate, windowRate)));
    }

    private StatisticVerdict grade(final Statistic statistic, final long sampleSize,
            final java.util.function.DoubleSupplier value) {
        final Threshold threshold = thresholds.threshold(statistic);
        if (sampleSize < thresholds.minSampleSize(statistic)) {
            return new StatisticVerdict(statistic, Double.NaN, threshold.warning(), Level.INSUFFICIENT_DATA,
                    sampleSize);
        }
        final double v = value.getAsDouble();
        final Level level = threshold.levelOf(v);
        return new StatisticVerdict(statistic, v, threshold.valueFor(level), level, sampleSize);
    }
}
