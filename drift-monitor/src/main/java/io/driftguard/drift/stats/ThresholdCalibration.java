package io.driftguard.drift.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Calibrated thresholds: the statistic is computed on B bootstrap windows of the production window size, drawn with
 * replacement from a reference sample, and the threshold is set from that null distribution, either at
 * {@code mean + k sigma} or at a chosen quantile q (then, on stationary data, about {@code 1 - q} of windows breach).
 *
 * <p>Only for statistics where larger is worse (PSI, JS, Wasserstein, null-rate difference): the KS and chi-square
 * p-values are already calibrated by their null distribution.
 */
public final class ThresholdCalibration {

    /** How to turn the bootstrap values into a threshold. */
    public record Rule(Kind kind, double parameter) {

        public enum Kind { MEAN_PLUS_SIGMAS, QUANTILE }

        public Rule {
            if (kind == null) {
                throw new IllegalArgumentException("kind: must not be null");
            }
            if (kind == Kind.MEAN_PLUS_SIGMAS && !(parameter > 0.0 && Double.isFinite(parameter))) {
                throw new IllegalArgumentException("parameter: sigmas must be finite and > 0, got " + parameter);
            }
            if (kind == Kind.QUANTILE && !(parameter > 0.0 && parameter < 1.0)) {
                throw new IllegalArgumentException("parameter: quantile must be in (0, 1), got " + parameter);
            }
        }

        /** mean + k sigma (the default is k = 3). */
        public static Rule meanPlusSigmas(final double k) {
            return new Rule(Kind.MEAN_PLUS_SIGMAS, k);
        }

        public static Rule quantile(final double q) {
            return new Rule(Kind.QUANTILE, q);
        }
    }

    /**
     * A calibrated threshold and the bootstrap distribution's summary.
     *
     * @param threshold breach at {@code value >= threshold}
     */
    public record CalibratedThreshold(double threshold, double mean, double std, int bootstrapWindows, int windowSize,
            Rule rule) {

        /** As a single-level {@link Threshold} (breach is a WARNING). */
        public Threshold asThreshold() {
            return Threshold.above(threshold);
        }
    }

    private ThresholdCalibration() {
    }

    /**
     * Calibrates any statistic of a window's raw values. {@code seed} makes the bootstrap repeatable.
     */
    public static CalibratedThreshold calibrate(final double[] referenceSample, final int windowSize,
            final int bootstrapWindows, final ToDoubleFunction<double[]> statisticOfWindow, final Rule rule,
            final long seed) {
        if (referenceSample == null || referenceSample.length == 0) {
            throw new IllegalArgumentException("referenceSample: must not be empty");
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize: must be >= 1, got " + windowSize);
        }
        if (bootstrapWindows < 20) {
            throw new IllegalArgumentException("bootstrapWindows: must be >= 20, got " + bootstrapWindows);
        }
        if (statisticOfWindow == null) {
            throw new IllegalArgumentException("statisticOfWindow: must not be null");
        }
        if (rule == null) {
            throw new IllegalArgumentException("rule: must not be null");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] values = new double[bootstrapWindows];
        final double[] window = new double[windowSize];
        for (int b = 0; b < bootstrapWindows; b++) {
            for (int i = 0; i < windowSize; i++) {
                window[i] = referenceSample[random.nextInt(referenceSample.length)];
            }
            values[b] = statisticOfWindow.applyAsDouble(window);
            if (Double.isNaN(values[b])) {
                throw new IllegalArgumentException("statisticOfWindow: returned NaN on bootstrap window " + b);
            }
        }
        double mean = 0.0;
        for (final double v : values) {
            mean += v;
        }
        mean /= bootstrapWindows;
        double squares = 0.0;
        for (final double v : values) {
            squares += (v - mean) * (v - mean);
        }
        final double std = Math.sqrt(squares / (bootstrapWindows - 1));
        final double threshold = rule.kind() == Rule.Kind.MEAN_PLUS_SIGMAS
                ? mean + rule.parameter() * std
                : quantile(values, rule.parameter());
        return new CalibratedThreshold(threshold, mean, std, bootstrapWindows, windowSize, rule);
    }

    /**
     * Calibrates a numeric drift statistic (PSI, JS, Wasserstein or null-rate difference) against a reference, using
     * window states with the default KLL k and the default epsilon.
     */
    public static CalibratedThreshold calibrateNumeric(final NumericReference reference, final double[] referenceSample,
            final Statistic statistic, final int windowSize, final int bootstrapWindows, final Rule rule,
            final long seed) {
        if (reference == null) {
            throw new IllegalArgumentException("reference: must not be null");
        }
        if (statistic == null || statistic == Statistic.KS || statistic == Statistic.CHI_SQUARE) {
            throw new IllegalArgumentException("statistic: must be one of psi, js, wasserstein, null_rate, got "
                    + (statistic == null ? null : statistic.alertName()));
        }
        final DriftEvaluator evaluator = new DriftEvaluator(DriftThresholds.defaults());
        return calibrate(referenceSample, windowSize, bootstrapWindows, window -> {
            final NumericWindowState state = NumericWindowState.empty(reference.bins());
            for (final double v : window) {
                state.update(v);
            }
            return state.count() == 0 ? 0.0 : evaluator.value(statistic, reference, state);
        }, rule, seed);
    }

    /** Linear interpolation between order statistics (Hyndman and Fan type 7). */
    static double quantile(final double[] values, final double q) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final double position = q * (sorted.length - 1);
        final int lower = (int) Math.floor(position);
        final int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
