package io.driftguard.drift.stats;

import java.util.EnumMap;
import java.util.Map;

/**
 * Thresholds per statistic, the minimum sample size below which no verdict is given, and the smoothing epsilon.
 *
 * <p>Defaults: PSI 0.1 warning / 0.2 critical; Jensen–Shannon distance 0.1; Wasserstein (in reference stds) 0.1; KS
 * and chi-square p < 0.01; |null-rate difference| 0.05 warning / 0.2 critical; minimum sample size 100 non-missing
 * observations (total observations for the null rate); epsilon 1e-4.
 */
public record DriftThresholds(Map<Statistic, Threshold> thresholds, long minSampleSize, double epsilon) {

    public static final long DEFAULT_MIN_SAMPLE_SIZE = 100;

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
        thresholds = Map.copyOf(thresholds);
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

    /** A copy with one statistic's threshold replaced (e.g. by a calibrated one). */
    public DriftThresholds with(final Statistic statistic, final Threshold threshold) {
        final Map<Statistic, Threshold> map = new EnumMap<>(thresholds);
        map.put(statistic, threshold);
        return new DriftThresholds(map, minSampleSize, epsilon);
    }

    /** A copy with another minimum sample size. */
    public DriftThresholds withMinSampleSize(final long size) {
        return new DriftThresholds(thresholds, size, epsilon);
    }
}
