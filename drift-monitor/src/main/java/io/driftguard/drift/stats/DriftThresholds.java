package io.driftguard.drift.stats;

import java.util.EnumMap;
import java.util.Map;

/**
 * Thresholds per statistic, the minimum sample size below which no verdict is given, and the smoothing epsilon.
 *
 * <p>Defaults: PSI 0.1 warning / 0.2 critical; Jensen–Shannon distance 0.1; Wasserstein (in reference stds) 0.1; KS
 * and chi-square p < 0.01; |null-rate difference| 0.05 warning / 0.2 critical; minimum sample size 100 non-missing
 * observations (total observations for the null rate; 1,000 for Wasserstein against a fixed threshold, see
 * {@link #DEFAULT_WASSERSTEIN_MIN_SAMPLE_SIZE}); epsilon 1e-4.
 */
public record DriftThresholds(Map<Statistic, Threshold> thresholds, long minSampleSize, double epsilon,
        long wassersteinMinSampleSize) {

    public static final long DEFAULT_MIN_SAMPLE_SIZE = 100;
    /**
     * Fewest non-missing values a window needs before Wasserstein is graded against a fixed (default) threshold. Why:
     * W1 has a sampling noise floor of about 1.5 / sqrt(n) reference stds (measured: mean 0.073 at n = 400, 0.062 at
     * n = 600, for a Gaussian against its own 101-quantile profile), so below ~1,000 values a window drawn from the
     * reference itself crosses the 0.1 default in 5-14% of windows and the verdict says more about n than about
     * drift. A calibrated Wasserstein threshold (see {@link #with}) already holds the noise of its window size and is
     * graded from {@link #minSampleSize()} on.
     */
    public static final long DEFAULT_WASSERSTEIN_MIN_SAMPLE_SIZE = 1000;

    /** Thresholds with the default Wasserstein minimum sample size. */
    public DriftThresholds(final Map<Statistic, Threshold> thresholds, final long minSampleSize,
            final double epsilon) {
        this(thresholds, minSampleSize, epsilon, DEFAULT_WASSERSTEIN_MIN_SAMPLE_SIZE);
    }

    public DriftThresholds {
        if (thresholds == null) {
            throw new IllegalArgumentException("thresholds: must not be null");
        }
        for (final Statistic statistic : Statistic.values()) {
            if (thresholds.get(statistic) == null) {
                throw new IllegalArgumentException("thresholds." + statistic.alertName() + ": missing");
            }
        }
        if (minSampleSize < 1) {
            throw new IllegalArgumentException("minSampleSize: must be >= 1, got " + minSampleSize);
        }
        if (!(epsilon > 0.0) || epsilon > 0.01) {
            throw new IllegalArgumentException("epsilon: must be in (0, 0.01], got " + epsilon);
        }
        if (wassersteinMinSampleSize < 1) {
            throw new IllegalArgumentException("wassersteinMinSampleSize: must be >= 1, got "
                    + wassersteinMinSampleSize);
        }
        thresholds = Map.copyOf(thresholds);
    }

    /** Fewest observations {@code statistic} is graded on. */
    public long minSampleSize(final Statistic statistic) {
        return statistic == Statistic.WASSERSTEIN ? Math.max(minSampleSize, wassersteinMinSampleSize) : minSampleSize;
    }

    /** The documented defaults. */
    public static DriftThresholds defaults() {
        final Map<Statistic, Threshold> map = new EnumMap<>(Statistic.class);
        map.put(Statistic.PSI, Threshold.above(0.1, 0.2));
        map.put(Statistic.JS_DISTANCE, Threshold.above(0.1));
        map.put(Statistic.WASSERSTEIN, Threshold.above(0.1));
        map.put(Statistic.KS, Threshold.below(0.01));
        map.put(Statistic.CHI_SQUARE, Threshold.below(0.01));
        map.put(Statistic.NULL_RATE_DIFF, Threshold.above(0.05, 0.2));
        return new DriftThresholds(map, DEFAULT_MIN_SAMPLE_SIZE, DriftStatistics.DEFAULT_EPSILON);
    }

    public Threshold threshold(final Statistic statistic) {
        return thresholds.get(statistic);
    }

    /**
     * A copy with one statistic's threshold replaced by a calibrated one. A calibrated Wasserstein threshold is
     * graded from {@link #minSampleSize()} on: it was set from windows of the monitored size, noise included.
     */
    public DriftThresholds with(final Statistic statistic, final Threshold threshold) {
        final Map<Statistic, Threshold> map = new EnumMap<>(thresholds);
        map.put(statistic, threshold);
        return new DriftThresholds(map, minSampleSize, epsilon,
                statistic == Statistic.WASSERSTEIN ? 1 : wassersteinMinSampleSize);
    }

    /** A copy with another minimum sample size. */
    public DriftThresholds withMinSampleSize(final long size) {
        return new DriftThresholds(thresholds, size, epsilon, wassersteinMinSampleSize);
    }
}
