package io.driftguard.model.eval;

import java.util.List;
import java.util.Objects;

/**
 * How to evaluate a scored set.
 *
 * @param threshold decision threshold: flag when score {@code >=} threshold
 * @param bootstrapResamples resamples for the confidence intervals (0 disables them)
 * @param confidenceLevel e.g. 0.95 for a 95% percentile interval
 * @param seed bootstrap seed: equal inputs and seed give equal intervals
 * @param calibrationBins equal-width bins for ECE and the reliability curve
 * @param logLossEpsilon probabilities are clipped to [eps, 1 - eps] before the log
 * @param sweepThresholds thresholds of the sweep table
 * @param maxSliceValues per slice column, the most frequent values shown in the slice table
 * @param maxErrorClusters how many false-positive and false-negative clusters to keep
 */
public record EvaluationConfig(double threshold, int bootstrapResamples, double confidenceLevel, long seed,
                               int calibrationBins, double logLossEpsilon, List<Double> sweepThresholds,
                               int maxSliceValues, int maxErrorClusters) {
    public EvaluationConfig {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
        }
        if (bootstrapResamples < 0) {
            throw new IllegalArgumentException("bootstrapResamples must be >= 0, was " + bootstrapResamples);
        }
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidenceLevel must be in (0, 1), was " + confidenceLevel);
        }
        if (calibrationBins < 1) {
            throw new IllegalArgumentException("calibrationBins must be >= 1, was " + calibrationBins);
        }
        if (!(logLossEpsilon > 0 && logLossEpsilon < 0.5)) {
            throw new IllegalArgumentException("logLossEpsilon must be in (0, 0.5), was " + logLossEpsilon);
        }
        Objects.requireNonNull(sweepThresholds, "sweepThresholds");
        sweepThresholds = List.copyOf(sweepThresholds);
        for (final Double t : sweepThresholds) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("sweepThresholds must be in [0, 1], had " + t);
            }
        }
        if (maxSliceValues < 1) {
            throw new IllegalArgumentException("maxSliceValues must be >= 1, was " + maxSliceValues);
        }
        if (maxErrorClusters < 1) {
            throw new IllegalArgumentException("maxErrorClusters must be >= 1, was " + maxErrorClusters);
        }
    }

    /** Threshold 0.5, 200 resamples, 95% CI, seed 17, 10 bins, eps 1e-15, sweep 0.05..0.95 step 0.05. */
    public static EvaluationConfig defaults() {
        final Double[] sweep = new Double[19];
        for (int i = 0; i < sweep.length; i++) {
            sweep[i] = Math.round((i + 1) * 5.0) / 100.0;
        }
        return new EvaluationConfig(0.5, 200, 0.95, 17L, 10, 1e-15, List.of(sweep), 20, 5);
    }

    public EvaluationConfig withThreshold(final double value) {
        return new EvaluationConfig(value, bootstrapResamples, confidenceLevel, seed, calibrationBins, logLossEpsilon,
                sweepThresholds, maxSliceValues, maxErrorClusters);
    }

    public EvaluationConfig withBootstrap(final int resamples, final long bootstrapSeed) {
        return new EvaluationConfig(threshold, resamples, confidenceLevel, bootstrapSeed, calibrationBins,
                logLossEpsilon, sweepThresholds, maxSliceValues, maxErrorClusters);
    }
}
